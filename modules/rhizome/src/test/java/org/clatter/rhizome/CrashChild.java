package org.clatter.rhizome;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.clatter.spi.crypto.Crypto;

/** Child process of {@link CrashSafetyTest}: imports bundles into a store until it is killed. */
public final class CrashChild {
    private CrashChild() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        Random r = new Random(Long.parseLong(args[1]));
        try (RhizomeStore store = RhizomeStore.open(dir)) {
            Crypto crypto = store.crypto();
            RhizomeIdentity me = RhizomeIdentity.generate(crypto);
            for (int i = 0; ; i++) {
                // every 50th bundle (from the 8th) has an empty payload, so that case is always covered
                byte[] p = new byte[i % 50 == 7 ? 0 : r.nextInt(4) == 0 ? 100_000 + r.nextInt(200_000) : r.nextInt(2000)];
                r.nextBytes(p);
                store.add(Map.of("service", "file", "name", "crash" + i), me, BundleKeys.generate(crypto), new ByteArrayInputStream(p), 1 + i);
                if (i == 3) {
                    System.out.println("ready");
                    System.out.flush();
                }
            }
        }
    }
}
