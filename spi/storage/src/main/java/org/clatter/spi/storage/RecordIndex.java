package org.clatter.spi.storage;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Small records keyed by an id (e.g. a Rhizome bundle id), each with string attributes to query by (service,
 * name, sender, recipient, ...), an opaque body (e.g. the manifest bytes) and an optional blob. Every
 * {@link #put} stamps a strictly increasing change number, so a reader can ask what changed since it last looked.
 * Records and their blobs are stored atomically: a crash leaves either the new record or the old one.
 */
public interface RecordIndex {

    /** Inserts or replaces a record; returns its change number. */
    long put(Record record);

    Optional<Record> get(String id);

    boolean delete(String id);

    /** Records whose attributes equal all of {@code equalTo} (empty: all), in change order, at most {@code limit}. */
    List<Record> query(Map<String, String> equalTo, int limit);

    /** Records changed after {@code changeNumber}, in change order, at most {@code limit}. */
    List<Record> changedSince(long changeNumber, int limit);

    /** How many records there are. */
    long count();

    /**
     * A stored record.
     *
     * @param id         the key
     * @param attributes queryable attributes
     * @param body       opaque bytes
     * @param blob       the blob the record refers to, if any
     * @param change     the change number (0 on a record not yet stored)
     */
    record Record(String id, Map<String, String> attributes, byte[] body, Optional<BlobId> blob, long change) {
        public Record {
            attributes = Map.copyOf(attributes);
            body = body.clone();
        }

        @Override
        public byte[] body() {
            return body.clone();
        }
    }
}
