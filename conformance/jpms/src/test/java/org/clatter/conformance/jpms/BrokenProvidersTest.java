package org.clatter.conformance.jpms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassTransform;
import java.lang.reflect.AccessFlag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Third-party transport plugins that are broken in each of the ways a plugin can be: a non-public provider
 * class, a throwing constructor, an unavailable provider, and two providers claiming one name. Each is compiled
 * here into a real module, put on the module path next to Clatter, and {@code clatter providers} must list it
 * with the reason instead of failing, while selection refuses it with a message naming every candidate.
 */
class BrokenProvidersTest {
    private static Path nonPublic;
    private static Path throwing;
    private static Path unavailable;
    private static Path dupOne;
    private static Path dupTwo;

    @BeforeAll
    static void compilePlugins() throws Exception {
        nonPublic = plugin("bad.nonpublic", "", "return true;", "Optional.empty()", "\"hidden\"");
        demote(nonPublic.resolve("bad/nonpublic/Provider.class"));
        throwing = plugin("bad.ctor", "throw new IllegalStateException(\"no radio attached\");", "return true;",
                "Optional.empty()", "\"ctor\"");
        unavailable = plugin("bad.unavailable", "", "return false;",
                "Optional.of(\"serial port /dev/ttyUSB9 not found\")", "\"serial9\"");
        dupOne = plugin("bad.dupone", "", "return true;", "Optional.empty()", "\"twin\"");
        dupTwo = plugin("bad.duptwo", "", "return true;", "Optional.empty()", "\"twin\"");
    }

    /** Compiles a one-class module providing TransportProvider. */
    private static Path plugin(String module, String ctorBody, String availableBody, String cause, String name)
            throws IOException {
        Path src = ModulePath.work("src").resolve(module);
        Path out = ModulePath.work("out").resolve(module);
        Path pkg = src.resolve(module.replace('.', '/'));
        Files.createDirectories(pkg);
        Files.writeString(src.resolve("module-info.java"), "module " + module + " {\n"
                + "  requires org.clatter.spi.transport;\n"
                + "  provides org.clatter.spi.transport.TransportProvider with " + module + ".Provider;\n}\n");
        Files.writeString(pkg.resolve("Provider.java"), "package " + module + ";\n"
                + "import java.util.Optional;\n"
                + "import org.clatter.spi.provider.Config;\n"
                + "import org.clatter.spi.transport.*;\n"
                + "public class Provider implements TransportProvider {\n"
                + "  public Provider() { " + ctorBody + " }\n"
                + "  public String name() { return " + name + "; }\n"
                + "  public boolean isAvailable() { " + availableBody + " }\n"
                + "  public Optional<String> unavailabilityCause() { return " + cause + "; }\n"
                + "  public Transport create(Config c) { throw new TransportException(\"test plugin\"); }\n"
                + "}\n");
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "--module-path",
                ModulePath.dir().toString(), src.resolve("module-info.java").toString(),
                pkg.resolve("Provider.java").toString()));
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(String[]::new));
        assertEquals(0, rc, "test plugin " + module + " did not compile");
        return out;
    }

    /** Rewrites a compiled class as package-private: javac would refuse to compile such a provider. */
    private static void demote(Path classFile) throws IOException {
        ClassFile cf = ClassFile.of();
        byte[] bytes = cf.transformClass(cf.parse(Files.readAllBytes(classFile)),
                ClassTransform.endHandler(b -> b.withFlags(AccessFlag.SUPER)));
        Files.write(classFile, bytes);
    }

    @Test
    void aNonPublicProviderIsReportedNotFatal() throws Exception {
        ModulePath.Result r = ModulePath.clatter(List.of(nonPublic), "providers");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("unavailable"), r.out());
        assertTrue(r.out().contains("bad.nonpublic"), r.out());
        assertTrue(r.out().contains("udp\tavailable"), "the good providers are still listed: " + r.out());
    }

    @Test
    void aThrowingConstructorIsReportedWithItsMessage() throws Exception {
        ModulePath.Result r = ModulePath.clatter(List.of(throwing), "providers");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("bad.ctor.Provider\tunavailable: constructor failed: "
                + "IllegalStateException: no radio attached (bad.ctor)"), r.out());
        ModulePath.Result sel = ModulePath.clatter(List.of(throwing), "providers", "--select", "transport=ctor");
        assertEquals(1, sel.status());
        assertTrue(sel.err().contains("no TransportProvider named 'ctor'"), sel.err());
    }

    @Test
    void anUnavailableProviderGivesItsReasonAndIsNeverChosen() throws Exception {
        ModulePath.Result r = ModulePath.clatter(List.of(unavailable), "providers");
        assertTrue(r.out().contains("serial9\tunavailable: serial port /dev/ttyUSB9 not found (bad.unavailable)"),
                r.out());
        ModulePath.Result sel = ModulePath.clatter(List.of(unavailable), "providers", "--select",
                "transport=serial9");
        assertEquals(1, sel.status());
        assertTrue(sel.err().contains("'serial9' is not available: serial port /dev/ttyUSB9 not found"), sel.err());
        assertTrue(sel.err().contains("Candidates:") && sel.err().contains("udp\tavailable"), sel.err());
        ModulePath.Result best = ModulePath.clatter(List.of(unavailable), "providers", "--select", "transport");
        assertEquals(0, best.status(), best.err());
        assertTrue(!best.out().contains("serial9"), best.out());
    }

    @Test
    void twoProvidersWithOneNameAreBothRefused() throws Exception {
        ModulePath.Result r = ModulePath.clatter(List.of(dupOne, dupTwo), "providers");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("twin\tunavailable: duplicate name 'twin': 2 providers claim it (bad.dupone)"),
                r.out());
        assertTrue(r.out().contains("(bad.duptwo)"), r.out());
        ModulePath.Result sel = ModulePath.clatter(List.of(dupOne, dupTwo), "providers", "--select",
                "transport=twin");
        assertEquals(1, sel.status());
        assertTrue(sel.err().contains("'twin' is provided by 2 modules"), sel.err());
    }
}
