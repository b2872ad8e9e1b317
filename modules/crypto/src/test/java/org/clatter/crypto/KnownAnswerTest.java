package org.clatter.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import org.clatter.spi.crypto.Crypto;
import org.clatter.spi.provider.Config;
import org.junit.jupiter.api.Test;

/** Public known-answer vectors, byte for byte. Each constant names its source. */
class KnownAnswerTest {
    private static final HexFormat HEX = HexFormat.of();
    private final Crypto crypto = new BouncyCastleCryptoProvider().create(Config.empty());

    static byte[] hex(String s) {
        return HEX.parseHex(s.replaceAll("\\s+", ""));
    }

    // libsodium test/default/box.c, box2.c, secretbox.c, core1.c (from NaCl's tests); also RFC 7748 §6.1.
    static final byte[] ALICE_SK = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    static final byte[] ALICE_PK = hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    static final byte[] BOB_SK = hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
    static final byte[] BOB_PK = hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    /** X25519(aliceSk, bobPk): libsodium core1.c {@code shared}, RFC 7748 §6.1 shared secret K. */
    static final byte[] SHARED = hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
    /** HSalsa20(SHARED, 0^16): libsodium secretbox.c {@code firstkey} (= core1.exp). */
    static final byte[] FIRSTKEY = hex("1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389");
    static final byte[] NONCE = hex("69696ee955b62b73cd62bda875fc73d68219e0036b7a0b37");
    /** libsodium box.c {@code m} without its 32 leading zero bytes (NaCl's padding). */
    static final byte[] MESSAGE = hex("""
            be075fc53c81f2d5cf141316ebeb0c7b5228c52a4c62cbd44b66849b64244ffce5ecbaaf33bd751a1ac728d45e6c61296cdc3c01
            233561f41db66cce314adb310e3be8250c46f06dceea3a7fa1348057e2f6556ad6b1318a024a838f21af1fde048977eb48f59ffd
            4924ca1c60902e52f0a089bc76897040e082f937763848645e0705""");
    /** libsodium box.exp / secretbox.exp: bytes 16..163 of NaCl's output, i.e. MAC(16) || ciphertext(131). */
    static final byte[] BOX_EXPECTED = hex("""
            f3ffc7703f9400e52a7dfb4b3d3305d98e993b9f48681273c29650ba32fc76ce48332ea7164d96a4476fb8c531a1186ac0dfc17c
            98dce87b4da7f011ec48c97271d2c20f9b928fe2270d6fb863d51738b48eeee314a7cc8ab932164548e526ae90224368517acfea
            bd6bb3732bc0e9da99832b61ca01b6de56244a9e88d5f9b37973f622a43d14a6599b1f654cb45a74e355a5""");
    /** libsodium box.c {@code small_order_p}: a point of order 8. */
    static final byte[] SMALL_ORDER = hex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800");

    @Test
    void cryptoBoxMatchesNaCl() {
        byte[] out = new byte[MESSAGE.length + 16];
        assertTrue(crypto.box(BOB_PK, 0, ALICE_SK, 0, NONCE, 0, MESSAGE, 0, MESSAGE.length, out, 0));
        assertArrayEquals(BOX_EXPECTED, out);
    }

    @Test
    void cryptoBoxOpenMatchesNaCl() {
        // libsodium box2.c: Bob opens Alice's box.
        byte[] plain = new byte[MESSAGE.length];
        assertTrue(crypto.boxOpen(ALICE_PK, 0, BOB_SK, 0, NONCE, 0, BOX_EXPECTED, 0, BOX_EXPECTED.length, plain, 0));
        assertArrayEquals(MESSAGE, plain);
    }

    @Test
    void cryptoBoxRefusesASmallOrderKey() {
        byte[] out = new byte[MESSAGE.length + 16];
        assertFalse(crypto.box(SMALL_ORDER, 0, ALICE_SK, 0, NONCE, 0, MESSAGE, 0, MESSAGE.length, out, 0));
        assertFalse(crypto.boxBeforeNm(SMALL_ORDER, 0, ALICE_SK, 0, new byte[32], 0));
        assertFalse(crypto.boxOpen(SMALL_ORDER, 0, BOB_SK, 0, NONCE, 0, BOX_EXPECTED, 0, BOX_EXPECTED.length,
                new byte[MESSAGE.length], 0));
    }

    @Test
    void secretBoxMatchesNaCl() {
        byte[] out = new byte[MESSAGE.length + 16];
        crypto.secretBox(FIRSTKEY, 0, NONCE, 0, MESSAGE, 0, MESSAGE.length, out, 0);
        assertArrayEquals(BOX_EXPECTED, out);
        byte[] plain = new byte[MESSAGE.length];
        assertTrue(crypto.secretBoxOpen(FIRSTKEY, 0, NONCE, 0, out, 0, out.length, plain, 0));
        assertArrayEquals(MESSAGE, plain);
    }

    @Test
    void offsetsAreHonoured() {
        byte[] key = new byte[40];
        System.arraycopy(FIRSTKEY, 0, key, 5, 32);
        byte[] nonce = new byte[30];
        System.arraycopy(NONCE, 0, nonce, 3, 24);
        byte[] msg = new byte[MESSAGE.length + 11];
        System.arraycopy(MESSAGE, 0, msg, 11, MESSAGE.length);
        byte[] out = new byte[MESSAGE.length + 16 + 7];
        crypto.secretBox(key, 5, nonce, 3, msg, 11, MESSAGE.length, out, 7);
        assertArrayEquals(BOX_EXPECTED, Arrays.copyOfRange(out, 7, out.length));
    }

    @Test
    void beforeNmAndHSalsa20MatchNaCl() {
        byte[] k = new byte[32];
        assertTrue(crypto.boxBeforeNm(BOB_PK, 0, ALICE_SK, 0, k, 0));
        assertArrayEquals(FIRSTKEY, k);
        assertTrue(crypto.boxBeforeNm(ALICE_PK, 0, BOB_SK, 0, k, 0));
        assertArrayEquals(FIRSTKEY, k);
        // libsodium core1.c: crypto_core_hsalsa20(firstkey, zero, shared, sigma)
        byte[] out = new byte[32];
        crypto.hsalsa20(SHARED, 0, new byte[16], 0, out, 0);
        assertArrayEquals(FIRSTKEY, out);
    }

    @Test
    void hsalsa20SecondLevelKeyMatchesNaCl() {
        // libsodium core2.c: crypto_core_hsalsa20(secondkey, nonceprefix, firstkey, c) = core2.exp
        byte[] out = new byte[32];
        crypto.hsalsa20(FIRSTKEY, 0, hex("69696ee955b62b73cd62bda875fc73d6"), 0, out, 0);
        assertArrayEquals(hex("dc908dda0b9344a953629b733820778880f3ceb421bb61b91cbd4c3e66256ce4"), out);
    }

    // RFC 7748 §5.2 and §6.1.
    @Test
    void x25519MatchesRfc7748() {
        byte[] out = new byte[32];
        assertTrue(crypto.x25519(hex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"), 0,
                hex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"), 0, out, 0));
        assertArrayEquals(hex("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"), out);
        assertTrue(crypto.x25519(hex("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d"), 0,
                hex("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493"), 0, out, 0));
        assertArrayEquals(hex("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"), out);

        crypto.x25519PublicKey(ALICE_SK, 0, out, 0);
        assertArrayEquals(ALICE_PK, out);
        crypto.x25519PublicKey(BOB_SK, 0, out, 0);
        assertArrayEquals(BOB_PK, out);
        assertTrue(crypto.x25519(ALICE_SK, 0, BOB_PK, 0, out, 0));
        assertArrayEquals(SHARED, out);
        assertTrue(crypto.x25519(BOB_SK, 0, ALICE_PK, 0, out, 0));
        assertArrayEquals(SHARED, out);
        assertFalse(crypto.x25519(ALICE_SK, 0, SMALL_ORDER, 0, out, 0));
    }

    /** RFC 8032 §7.1: TEST 1, 2, 3 and TEST SHA(abc): secret seed, public key, message, signature. */
    static final String[][] RFC8032 = {
        {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
         "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
         "",
         "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                 + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
        {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
         "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
         "72",
         "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                 + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
        {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
         "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
         "af82",
         "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
                 + "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
        {"833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
         "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
         "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                 + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
         "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589"
                 + "09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"},
    };

    @Test
    void ed25519MatchesRfc8032() {
        for (String[] v : RFC8032) {
            byte[] seed = hex(v[0]);
            byte[] msg = hex(v[2]);
            byte[] pub = new byte[32];
            crypto.ed25519PublicKey(seed, 0, pub, 0);
            assertArrayEquals(hex(v[1]), pub, v[1]);
            byte[] sig = new byte[64];
            crypto.ed25519Sign(seed, 0, pub, 0, msg, 0, msg.length, sig, 0);
            assertArrayEquals(hex(v[3]), sig, v[1]);
            assertTrue(crypto.ed25519Verify(pub, 0, msg, 0, msg.length, sig, 0), v[1]);
        }
    }

    @Test
    void smallOrderKeysNeverVerify() {
        // Like libsodium's crypto_sign_verify_detached: a small-order public key (here the neutral element and a
        // point of order 8 from libsodium's blacklist) with R = that point and S = 0 would pass a lax verifier
        // for about one message in eight; none of them may verify.
        byte[] identity = new byte[32];
        identity[0] = 1;
        byte[] order8 = hex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05");
        for (byte[] pk : new byte[][] {identity, order8}) {
            byte[] sig = new byte[64];
            System.arraycopy(pk, 0, sig, 0, 32);
            for (int i = 0; i < 32; i++) {
                byte[] msg = {(byte) i};
                assertFalse(crypto.ed25519Verify(pk, 0, msg, 0, 1, sig, 0), "message " + i);
            }
        }
    }

    @Test
    void sha512MatchesFips180() {
        // "abc": FIPS 180-2 example; its digest is also the message of RFC 8032 TEST SHA(abc).
        byte[] out = new byte[64];
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        crypto.sha512(abc, 0, 3, out, 0);
        assertArrayEquals(hex(RFC8032[3][2]), out);
        crypto.sha512(new byte[0], 0, 0, out, 0);
        assertArrayEquals(hex("cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
                + "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"), out);
    }

    @Test
    void ed25519ToCurve25519MatchesLibsodium() {
        // libsodium test/default/ed25519_convert.c / .exp
        byte[] seed = hex("421151a459faeade3d247115f94aedae42318124095afabe4d1451a559faedee");
        byte[] edPub = new byte[32];
        crypto.ed25519PublicKey(seed, 0, edPub, 0);
        byte[] xPub = new byte[32];
        assertTrue(crypto.ed25519PublicToX25519(edPub, 0, xPub, 0));
        assertArrayEquals(hex("f1814f0e8ff1043d8a44d25babff3cedcae6c22c3edaa48f857ae70de2baae50"), xPub);
        byte[] xSecret = new byte[32];
        crypto.ed25519SeedToX25519Secret(seed, 0, xSecret, 0);
        assertArrayEquals(hex("8052030376d47112be7f73ed7a019293dd12ad910b654455798b4667d73de166"), xSecret);
    }

    @Test
    void ed25519ToCurve25519RefusesNonPoints() {
        byte[] xPub = new byte[32];
        byte[] identity = new byte[32];
        identity[0] = 1; // y = 1: the neutral element, small order
        assertFalse(crypto.ed25519PublicToX25519(identity, 0, xPub, 0));
        assertFalse(crypto.ed25519PublicToX25519(new byte[32], 0, xPub, 0), "y = 0 has order 4");
        assertFalse(crypto.ed25519PublicToX25519(
                hex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"), 0, xPub, 0), "order 8");
        byte[] notOnCurve = hex("0200000000000000000000000000000000000000000000000000000000000000");
        assertFalse(crypto.ed25519PublicToX25519(notOnCurve, 0, xPub, 0), "y = 2 is not on the curve");
        byte[] nonCanonical = hex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
        assertFalse(crypto.ed25519PublicToX25519(nonCanonical, 0, xPub, 0), "y = p is not canonical");
        assertArrayEquals(new byte[32], xPub, "output untouched on refusal");
    }
}
