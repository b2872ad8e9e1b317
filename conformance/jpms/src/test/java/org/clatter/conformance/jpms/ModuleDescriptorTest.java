package org.clatter.conformance.jpms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every runtime jar is a real named module (jlink refuses automatic ones), Clatter's follow the naming rule
 * (artifact {@code clatter-x} = module {@code org.clatter.x}, {@code clatter-transport-x} =
 * {@code org.clatter.transport.x}, {@code clatter-spi-x} = {@code org.clatter.spi.x}, {@code clatter-tools-x} =
 * {@code org.clatter.tools.x}), and providers are declared in module descriptors, never in META-INF/services.
 */
class ModuleDescriptorTest {

    static String expectedModuleName(String artifact) {
        return "org.clatter." + artifact.substring("clatter-".length()).replace('-', '.');
    }

    @Test
    void everyRuntimeJarIsANamedNonAutomaticModule() throws Exception {
        List<Path> jars = ModulePath.jars();
        assertFalse(jars.isEmpty(), "no jars in " + ModulePath.dir());
        for (Path jar : jars) {
            Set<ModuleReference> refs = ModuleFinder.of(jar).findAll();
            assertEquals(1, refs.size(), jar + " is not a module");
            ModuleDescriptor d = refs.iterator().next().descriptor();
            assertFalse(d.isAutomatic(), jar.getFileName() + " is an automatic module (" + d.name()
                    + "): jlink cannot hold it; give it a module descriptor at build time");
        }
    }

    @Test
    void clatterModulesFollowTheNamingRuleAndDeclareProvidersInTheDescriptor() throws Exception {
        int clatterJars = 0;
        for (Path jar : ModulePath.jars()) {
            String file = jar.getFileName().toString();
            if (!file.startsWith("clatter-")) {
                continue;
            }
            clatterJars++;
            String artifact = file.replaceFirst("-\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\.jar$", "");
            ModuleDescriptor d = ModuleFinder.of(jar).findAll().iterator().next().descriptor();
            assertEquals(expectedModuleName(artifact), d.name(), file);
            assertFalse(d.exports().isEmpty(), d.name() + " exports nothing");
            for (String pkg : d.packages()) {
                assertTrue(pkg.equals(d.name()) || pkg.startsWith(d.name() + "."),
                        d.name() + " holds package " + pkg + " outside its root package " + d.name());
            }
            try (JarFile jf = new JarFile(jar.toFile())) {
                List<String> services = jf.stream().map(e -> e.getName())
                        .filter(n -> n.startsWith("META-INF/services/") && !n.endsWith("/"))
                        .collect(Collectors.toList());
                assertTrue(services.isEmpty(), file + " has hand-written " + services
                        + ": declare providers with 'provides' in module-info.java");
            }
        }
        assertTrue(clatterJars >= 5, "expected the clatter runtime jars in " + ModulePath.dir());
    }

    @Test
    void theRuntimeResolvesOnTheModulePathAlone() throws Exception {
        ModuleFinder finder = ModuleFinder.of(ModulePath.dir());
        var cf = ModuleLayer.boot().configuration().resolveAndBind(finder, ModuleFinder.of(),
                Set.of("org.clatter.tools.cli"));
        Set<String> resolved = cf.modules().stream().map(m -> m.name()).collect(Collectors.toSet());
        for (String m : List.of("org.clatter.core", "org.clatter.transport.udp", "org.clatter.transport.sim",
                "org.clatter.crypto")) {
            assertTrue(resolved.contains(m), m + " is not bound as a service provider of the clatter command: "
                    + resolved);
        }
    }
}
