package org.clatter.rhizome.interop;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.clatter.mdp.Identity;
import org.clatter.mdp.MdpCrypto;
import org.clatter.mdp.node.MdpNode;
import org.clatter.rhizome.BundleKeys;
import org.clatter.rhizome.Manifest;
import org.clatter.rhizome.RhizomeIdentity;
import org.clatter.rhizome.RhizomeStore;
import org.clatter.rhizome.meshms.MeshMs;
import org.clatter.rhizome.node.RhizomeNode;
import org.clatter.spi.crypto.Crypto;

/**
 * A Clatter node running Rhizome sync for live interop with a real servald, run by hand inside the
 * {@code clattertest} network namespace (never by the test suite):
 *
 * <pre>
 *   ip netns exec clattertest java -p modules/rhizome/target/classes:$CP \
 *       --patch-module org.clatter.rhizome=modules/rhizome/target/test-classes --add-modules ALL-MODULE-PATH \
 *       --enable-native-access=org.xerial.sqlitejdbc \
 *       -m org.clatter.rhizome/org.clatter.rhizome.interop.LiveServaldRhizome \
 *       --iface 127.6.0.3/24:4110 --store /tmp/clatter-r [--add FILE] [--meshms SID TEXT] [--seconds 60]
 * </pre>
 *
 * The identity derives from {@code --name} (SHA-256 of "clatter-rhizome-interop-" + name). Every 2 s it prints
 * the reachable peers and the bundles in its store; at the end, its MeshMS conversations and the Rhizome node's
 * counters.
 */
public final class LiveServaldRhizome {
    private LiveServaldRhizome() {
    }

    public static void main(String[] args) throws Exception {
        String name = "r";
        List<String> ifaces = new ArrayList<>();
        Path storeDir = null;
        Path add = null;
        int seconds = 60;
        String meshmsTo = null;
        String meshmsText = null;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--name" -> name = args[i + 1];
                case "--iface" -> ifaces.add(args[i + 1]);
                case "--store" -> storeDir = Path.of(args[i + 1]);
                case "--add" -> add = Path.of(args[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--meshms" -> {
                    meshmsTo = args[i + 1];
                    meshmsText = args[i + 2];
                    i++;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Crypto crypto = MdpCrypto.load();
        byte[] seed = MessageDigest.getInstance("SHA-256")
                .digest(("clatter-rhizome-interop-" + name).getBytes(StandardCharsets.UTF_8));
        Identity id = Identity.fromSeed(crypto, seed, new byte[0], "", name);
        System.out.println("SID " + id.sid());
        MdpNode node = MdpNode.realTime(crypto, List.of(id), System.nanoTime());
        for (String f : ifaces) {
            node.addInterface("udp:" + f, List.of());
        }
        try (RhizomeStore store = RhizomeStore.open(storeDir)) {
            node.start();
            RhizomeNode rhizome = RhizomeNode.start(node, store);
            if (add != null) {
                try (var in = Files.newInputStream(add)) {
                    Manifest m = store.add(Map.of("service", "file", "name", add.getFileName().toString()),
                            RhizomeIdentity.fromMdp(id, store.crypto()), BundleKeys.generate(store.crypto()), in,
                            System.currentTimeMillis());
                    System.out.println("added " + m.idHex() + " " + m.filesize() + " bytes");
                    rhizome.bundleAdded(m);
                }
            }
            RhizomeIdentity me = RhizomeIdentity.fromMdp(id, store.crypto());
            if (meshmsTo != null) {
                Manifest ply = new MeshMs(store).send(me, meshmsTo, meshmsText, System.currentTimeMillis() / 1000);
                System.out.println("meshms ply " + ply.idHex() + " to " + meshmsTo);
                rhizome.bundleAdded(ply);
            }
            for (int t = 0; t < seconds; t += 2) {
                Thread.sleep(2000);
                List<String> peers = node.call(n -> node.engine().peers().stream().map(Object::toString).toList()).get();
                System.out.println("t=" + t + "s peers " + peers);
                for (Manifest m : store.list(Map.of(), 100)) {
                    System.out.println("  bundle " + m.idHex() + " v" + Long.toUnsignedString(m.version()) + " "
                            + m.service().orElse("") + " " + m.name().orElse("") + " " + m.filesize() + " bytes");
                }
            }
            for (MeshMs.Conversation c : new MeshMs(store).conversations(me)) {
                for (MeshMs.Message msg : new MeshMs(store).messages(me, c.other())) {
                    System.out.println("meshms " + (msg.sentByMe() ? "to " : "from ") + c.other() + ": " + msg.text());
                }
            }
            System.out.println("counters " + node.call(n -> rhizome.counters()).get());
            rhizome.close();
        } finally {
            node.close();
        }
    }
}
