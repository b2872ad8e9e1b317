package org.clatter.mdp.engine;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The attacker of {@link MeshNodeFloodTest}, run in a child JVM with only the JDK: sends a bounded number of bad
 * overlay packets to one UDP address, as fast as a 1 ms pause every 200 packets allows.
 *
 * <pre>
 *   java -cp test-classes org.clatter.mdp.engine.UdpFlooder BIND_IP TARGET_IP:PORT VICTIM_SID SPOOFED_SID \
 *        CAPTURED_HEX_FILE COUNT SEED
 * </pre>
 *
 * Kinds, in turn: random bytes; genuine packets (captured from the spoofed node) truncated; genuine packets with
 * bits flipped; crypted frames "from" the spoofed SID to the victim with the wrong key (random MAC and ciphertext);
 * packets from random unknown SIDs; and genuine packets replayed verbatim. Prints the count of each kind sent.
 */
public final class UdpFlooder {
    private UdpFlooder() {
    }

    public static void main(String[] args) throws Exception {
        String bind = args[0];
        String[] target = args[1].split(":");
        byte[] victim = HexFormat.of().parseHex(args[2]);
        byte[] spoofed = HexFormat.of().parseHex(args[3]);
        List<byte[]> captured = Files.readAllLines(Path.of(args[4])).stream().filter(l -> !l.isBlank())
                .map(l -> HexFormat.of().parseHex(l.trim())).toList();
        int count = Integer.parseInt(args[5]);
        SplittableRandom r = new SplittableRandom(Long.parseLong(args[6]));
        long[] kinds = new long[6];
        InetSocketAddress to = new InetSocketAddress(target[0], Integer.parseInt(target[1]));
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.bind(new InetSocketAddress(bind, 0));
            ByteBuffer buf = ByteBuffer.allocate(2048);
            for (int i = 0; i < count; i++) {
                int kind = i % 6;
                byte[] p = switch (kind) {
                    case 0 -> random(r, r.nextInt(0, 1300));
                    case 1 -> {
                        byte[] g = captured.get(r.nextInt(captured.size()));
                        yield java.util.Arrays.copyOf(g, r.nextInt(0, g.length));
                    }
                    case 2 -> {
                        byte[] g = captured.get(r.nextInt(captured.size())).clone();
                        for (int f = 1 + r.nextInt(4); f > 0; f--) {
                            g[r.nextInt(g.length)] ^= (byte) (1 << r.nextInt(8));
                        }
                        yield g;
                    }
                    case 3 -> wronglyKeyed(r, spoofed, victim);
                    case 4 -> unknownSender(r, victim);
                    default -> captured.get(r.nextInt(captured.size()));
                };
                buf.clear();
                buf.put(p).flip();
                ch.send(buf, to);
                kinds[kind]++;
                if (i % 200 == 199) {
                    Thread.sleep(1);
                }
            }
        }
        System.out.println("random=" + kinds[0] + " truncated=" + kinds[1] + " mutated=" + kinds[2] + " wrong_key="
                + kinds[3] + " unknown_sender=" + kinds[4] + " replayed=" + kinds[5]);
    }

    private static byte[] random(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    /** v1 unicast packet from {@code spoofed}: one CIPHERED|SIGNED frame to the victim whose box cannot open. */
    private static byte[] wronglyKeyed(SplittableRandom r, byte[] spoofed, byte[] victim) {
        ByteBuffer b = ByteBuffer.allocate(200);
        b.put((byte) 1).put((byte) 1).put((byte) 0x20).put(spoofed).put((byte) 0x01);
        int len = 24 + 16 + 3 + 12;
        // SENDER_SAME | CIPHERED | SIGNED, destination the victim, next hop PREVIOUS (the victim), TTL 31, mdp seq
        b.put((byte) (0x01 | 0x10 | 0x20)).put((byte) 0x20).put(victim).put((byte) 0xFE).put((byte) 31);
        b.put((byte) r.nextInt(256)).putShort((short) len);
        b.put(random(r, len));
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    /** A well-formed tick-like packet from a random SID nobody knows, with a plain frame to the victim. */
    private static byte[] unknownSender(SplittableRandom r, byte[] victim) {
        ByteBuffer b = ByteBuffer.allocate(200);
        b.put((byte) 1).put((byte) 1).put((byte) 0x20).put(random(r, 32)).put((byte) 0x00);
        // SENDER_SAME | ONE_HOP, destination the victim, mdp seq, a random 20-byte body
        b.put((byte) 0x05).put((byte) 0x20).put(victim).put((byte) r.nextInt(256));
        byte[] body = random(r, 20);
        b.putShort((short) body.length).put(body);
        return java.util.Arrays.copyOf(b.array(), b.position());
    }
}
