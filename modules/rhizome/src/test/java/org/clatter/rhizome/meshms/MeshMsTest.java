package org.clatter.rhizome.meshms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.clatter.rhizome.Manifest;
import org.clatter.rhizome.RhizomeCrypto;
import org.clatter.rhizome.RhizomeIdentity;
import org.clatter.rhizome.RhizomeStore;
import org.clatter.spi.crypto.Crypto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeshMsTest {
    private final Crypto crypto = RhizomeCrypto.create();

    private RhizomeIdentity id(String dump) throws Exception {
        return RhizomeIdentity.parseKeyringDump(Files.readString(PlyCodecTest.serval().resolve(dump))).getFirst().withDerivedSid(crypto);
    }

    @Test
    void servaldConversationIsReadableByBob(@TempDir Path dir) throws Exception {
        RhizomeIdentity alice = id("keyring_A.dump");
        RhizomeIdentity bob = id("keyring_B.dump");
        try (RhizomeStore store = RhizomeStore.open(dir)) {
            Manifest ply = Manifest.parse(Files.readAllBytes(PlyCodecTest.serval().resolve("meshms.rhm")));
            assertEquals(RhizomeStore.ImportResult.IMPORTED,
                    store.importBundle(ply, new ByteArrayInputStream(Files.readAllBytes(PlyCodecTest.serval().resolve("meshms_raw.bin")))));
            MeshMs ms = new MeshMs(store);
            List<MeshMs.Conversation> cs = ms.conversations(bob);
            assertEquals(1, cs.size());
            assertEquals(alice.sidHex(), cs.getFirst().other());
            assertTrue(cs.getFirst().unread());
            List<MeshMs.Message> msgs = ms.messages(bob, alice.sidHex());
            assertEquals(1, msgs.size());
            assertEquals("Hi Bob, MeshMS test message", msgs.getFirst().text());
            assertEquals(1795367329L, msgs.getFirst().unixSeconds());
            assertFalse(msgs.getFirst().sentByMe());
            ms.markRead(bob, alice.sidHex());
            assertFalse(ms.conversations(bob).getFirst().unread());
            assertTrue(ms.messages(bob, alice.sidHex()).getFirst().read());
        }
    }

    @Test
    void conversationBothWaysWithDeliveredMarker(@TempDir Path dir) {
        RhizomeIdentity a = RhizomeIdentity.generate(crypto);
        RhizomeIdentity b = RhizomeIdentity.generate(crypto);
        try (RhizomeStore store = RhizomeStore.open(dir)) {
            MeshMs ms = new MeshMs(store);
            ms.send(a, b.sidHex(), "hello b", 1000);
            ms.send(a, b.sidHex(), "are you there?", 1001);
            Manifest ply = ms.send(b, a.sidHex(), "yes, hi a", 1002);
            assertTrue(ply.isJournal() && ply.encrypted());
            assertEquals(ply.filesize(), ply.version());
            List<MeshMs.Message> forB = ms.messages(b, a.sidHex());
            assertEquals(List.of("hello b", "are you there?", "yes, hi a"), forB.stream().map(MeshMs.Message::text).toList());
            // listing acked A's ply in B's, so A now sees its messages delivered
            List<MeshMs.Message> forA = ms.messages(a, b.sidHex());
            assertTrue(forA.get(0).sentByMe() && forA.get(0).delivered() && forA.get(1).delivered());
            assertFalse(forA.get(2).sentByMe());
            assertEquals(1, ms.conversations(a).size());
            assertEquals(2, store.count());
        }
    }
}
