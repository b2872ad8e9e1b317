package org.clatter.rhizome.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandsTest {
    static final String SID_A = "5D1628BCC46D80E579479CF70D3FF07834197CC7E6F8D156DEE24D9157F2C37C";
    static final String SID_B = "57177BD2BC32057D226626722DD7AAA75519865D5BB7054071B4D8DA508BC61C";

    record Run(int code, String out, String err) {
    }

    static Run rhizome(String... args) {
        return run(true, args);
    }

    static Run meshms(String... args) {
        return run(false, args);
    }

    private static Run run(boolean rhizome, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = rhizome
                ? RhizomeCommand.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                : MeshmsCommand.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Path serval() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("shared/conformance/serval"))) {
                return p.resolve("shared/conformance/serval");
            }
        }
        throw new AssertionError("shared/conformance/serval not found; check out the shared folder next to the repository");
    }

    @Test
    void addListExtractExportImport(@TempDir Path tmp) throws Exception {
        Path one = tmp.resolve("one");
        Path two = tmp.resolve("two");
        Path file = tmp.resolve("notes.txt");
        Files.writeString(file, "delay-tolerant hello\n");
        Run add = rhizome("add", "file", file.toString(), "--instance", one.toString(), "--service", "file");
        assertEquals(0, add.code(), add.err());
        String bid = add.out().split("\t")[0];
        assertEquals(64, bid.length());
        Run list = rhizome("rhizome", "list", "--instance", one.toString());
        assertEquals(1, list.out().lines().count());
        assertTrue(list.out().contains(bid) && list.out().contains("notes.txt") && list.out().contains("\t21\tfile\t"), list.out());
        Path back = tmp.resolve("back.txt");
        assertEquals(0, rhizome("extract", "file", bid, back.toString(), "--instance", one.toString()).code());
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(back));

        Path stick = tmp.resolve("usb");
        assertEquals(0, rhizome("export", stick.toString(), "--instance", one.toString()).code());
        Run imp = rhizome("import", stick.toString(), "--instance", two.toString());
        assertEquals(0, imp.code(), imp.err());
        assertTrue(imp.out().startsWith("imported 1 of 1"), imp.out());
        assertEquals(list.out(), rhizome("list", "--instance", two.toString()).out(), "the USB stick carried the bundle");
        assertTrue(rhizome("import", stick.toString(), "--instance", two.toString()).out().startsWith("imported 0 of 1"));
    }

    @Test
    void usageAndErrors(@TempDir Path tmp) {
        assertEquals(2, rhizome("list").code(), "no instance");
        assertEquals(2, rhizome("frobnicate", "--instance", tmp.toString()).code());
        Run r = rhizome("extract", "file", "00".repeat(32), tmp.resolve("x").toString(), "--instance", tmp.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("no bundle"), r.err());
    }

    @Test
    void meshmsConversation(@TempDir Path tmp) throws Exception {
        Path inst = tmp.resolve("node");
        Files.createDirectories(inst);
        String dump = Files.readString(serval().resolve("keyring_A.dump"))
                + Files.readString(serval().resolve("keyring_B.dump")).replaceAll("(?m)^0:", "1:");
        Files.writeString(inst.resolve("identities.dump"), dump);
        // Alice's real servald ply arrives (e.g. over sync or a USB stick)
        Path stick = tmp.resolve("stick");
        Files.createDirectories(stick);
        Files.copy(serval().resolve("meshms.rhm"), stick.resolve("a.manifest"));
        Files.copy(serval().resolve("meshms_raw.bin"), stick.resolve("a.payload"));
        assertEquals(0, rhizome("import", stick.toString(), "--instance", inst.toString()).code());
        Run convs = meshms("list", "conversations", SID_B, "--instance", inst.toString());
        assertEquals(0, convs.code(), convs.err());
        assertTrue(convs.out().contains(SID_A + "\tunread"), convs.out());
        assertEquals(0, meshms("meshms", "send", "message", SID_B, SID_A, "Hi Alice, got it", "--instance", inst.toString()).code());
        Run msgs = meshms("list", "messages", SID_B, SID_A, "--instance", inst.toString());
        assertTrue(msgs.out().contains("<\t1795367329\tunread\tHi Bob, MeshMS test message"), msgs.out());
        assertTrue(msgs.out().contains(">\t"), msgs.out());
        assertTrue(msgs.out().contains("Hi Alice, got it"), msgs.out());
        assertEquals(0, meshms("read", "messages", SID_B, SID_A, "--instance", inst.toString()).code());
        assertTrue(meshms("list", "messages", SID_B, SID_A, "--instance", inst.toString()).out().contains("\tread\tHi Bob"));
        Run unknown = meshms("list", "conversations", "AB".repeat(32), "--instance", inst.toString());
        assertEquals(1, unknown.code());
    }

    @Test
    void commandsUseTheNodesClatterKeyringWithItsPinAndFallBackToTheDump(@TempDir Path tmp) throws Exception {
        Path inst = tmp.resolve("node");
        org.clatter.mdp.node.Instance node = new org.clatter.mdp.node.Instance(inst, "4711".toCharArray());
        org.clatter.spi.crypto.Crypto crypto = org.clatter.mdp.MdpCrypto.load();
        org.clatter.mdp.Identity withSecret = org.clatter.mdp.Identity.generate(crypto, "", "node");
        byte[] seed = new byte[32];
        seed[0] = 7;
        org.clatter.mdp.Identity noSecret = org.clatter.mdp.Identity.fromSeed(crypto, seed, new byte[0], "", "bare");
        node.saveKeyring(new org.clatter.mdp.keyring.Keyring(java.util.List.of(withSecret, noSecret)), crypto);
        // the dump still holds Bob (fallback for identities the keyring lacks)
        Files.writeString(inst.resolve("identities.dump"), Files.readString(serval().resolve("keyring_B.dump")));
        String me = withSecret.sid().toString();
        String bare = noSecret.sid().toString();

        Run send = meshms("send", "message", me, SID_A, "from the node's keyring", "--instance", inst.toString(),
                "--pin", "4711");
        assertEquals(0, send.code(), send.err());
        Run msgs = meshms("list", "messages", me, SID_A, "--instance", inst.toString(), "--pin", "4711");
        assertTrue(msgs.out().contains(">\t") && msgs.out().contains("from the node's keyring"), msgs.out());
        assertEquals(0, meshms("send", "message", bare, SID_A, "no rhizome secret in the keyring", "--instance",
                inst.toString(), "--pin", "4711").code(), "a keyring identity without a Rhizome Secret still sends");
        assertTrue(meshms("list", "messages", bare, SID_A, "--instance", inst.toString(), "--pin", "4711").out()
                .contains("no rhizome secret in the keyring"), "its secret is derived the same way every time");
        assertEquals(0, meshms("send", "message", SID_B, SID_A, "from the dump", "--instance", inst.toString(),
                "--pin", "4711").code(), "identities only in identities.dump still work");

        Run wrongPin = meshms("list", "conversations", me, "--instance", inst.toString(), "--pin", "0000");
        assertEquals(1, wrongPin.code());
        assertTrue(wrongPin.err().contains("--pin") && wrongPin.err().contains("keyring.clatter"), wrongPin.err());
        Run noPin = meshms("list", "conversations", me, "--instance", inst.toString());
        assertEquals(1, noPin.code(), "CLATTER_PIN is not set in the test: the empty PIN does not open it");

        Path file = tmp.resolve("a.txt");
        Files.writeString(file, "x");
        Run add = rhizome("add", "file", file.toString(), "--instance", inst.toString(), "--pin", "4711");
        assertEquals(0, add.code(), add.err());
        assertTrue(add.err().isEmpty(), "the keyring's primary authored it, nothing was created: " + add.err());
    }

    @Test
    void aFreshInstanceGetsAClatterKeyringNotADump(@TempDir Path tmp) throws Exception {
        Path inst = tmp.resolve("fresh");
        Path file = tmp.resolve("a.txt");
        Files.writeString(file, "x");
        Run add = rhizome("add", "file", file.toString(), "--instance", inst.toString(), "--pin", "p");
        assertEquals(0, add.code(), add.err());
        assertTrue(Files.exists(inst.resolve("keyring.clatter")), add.err());
        assertTrue(Files.notExists(inst.resolve("identities.dump")));
        String sid = add.err().split(" ")[2];
        org.clatter.mdp.keyring.Keyring k = new org.clatter.mdp.node.Instance(inst, "p".toCharArray())
                .loadKeyring(org.clatter.mdp.MdpCrypto.load());
        assertEquals(sid, k.requirePrimary().sid().toString(), "the node will serve the identity the command made");
        Run again = rhizome("add", "file", file.toString(), "--instance", inst.toString(), "--pin", "p");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().isEmpty(), again.err());
        assertEquals(0, meshms("send", "message", sid, SID_A, "hi", "--instance", inst.toString(), "--pin", "p").code());
    }

    @Test
    void syncCarriesABundleBetweenTwoInstancesOverUdp(@TempDir Path tmp) throws Exception {
        Path one = tmp.resolve("one");
        Path two = tmp.resolve("two");
        Path file = tmp.resolve("report.txt");
        Files.writeString(file, "synced over MDP and MSP\n");
        Run add = rhizome("add", "file", file.toString(), "--instance", one.toString());
        assertEquals(0, add.code(), add.err());
        int port;
        try (java.nio.channels.DatagramChannel ch = java.nio.channels.DatagramChannel.open()) {
            ch.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            port = ((java.net.InetSocketAddress) ch.getLocalAddress()).getPort();
        }
        int p = port;
        java.util.concurrent.CompletableFuture<Run> first = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                rhizome("sync", "--interface", "udp:127.1.0.11/24:" + p, "--peer", "127.1.0.12:" + p,
                        "--seconds", "6", "--instance", one.toString()),
                // its own thread: the common pool has a single worker on 2 cores, which another blocked task may hold
                r -> Thread.ofPlatform().daemon().name("sync-one").start(r));
        Run second = rhizome("sync", "--interface", "udp:127.1.0.12/24:" + p, "--peer", "127.1.0.11:" + p,
                "--seconds", "6", "--instance", two.toString());
        Run firstRun = first.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(0, firstRun.code(), firstRun.err());
        assertEquals(0, second.code(), second.err());
        assertEquals(add.out(), second.out(), "the second instance printed the bundle as it arrived: " + second.err());
        assertEquals(rhizome("list", "--instance", one.toString()).out(), rhizome("list", "--instance", two.toString()).out());
        Path back = tmp.resolve("back.txt");
        String bid = add.out().split("\t")[0];
        assertEquals(0, rhizome("extract", "file", bid, back.toString(), "--instance", two.toString()).code());
        assertEquals("synced over MDP and MSP\n", Files.readString(back));
        Run bad = rhizome("sync", "--instance", two.toString());
        assertEquals(2, bad.code(), "no --interface is a usage error");
    }
}
