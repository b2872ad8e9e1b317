package org.clatter.core.provider;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.clatter.spi.provider.ProviderException;
import org.clatter.spi.provider.ServiceProvider;

/**
 * Finds and chooses providers. The caller's module declares {@code uses} and passes its own
 * {@link ServiceLoader}, as JPMS requires. A provider whose class cannot be loaded or constructed, or whose
 * {@code isAvailable()} throws, is reported as unavailable with the reason rather than breaking the search;
 * two providers with the same name are both reported and neither is chosen by that name.
 */
public final class Providers {

    private Providers() {
    }

    /** Every provider the loader finds, loadable or not, in discovery order. */
    public static <P extends ServiceProvider> List<ProviderStatus> list(ServiceLoader<P> loader, Class<P> spi) {
        List<ProviderStatus> out = new ArrayList<>();
        for (Candidate<P> c : candidates(loader, spi)) {
            out.add(c.status);
        }
        markDuplicates(out);
        return out;
    }

    /**
     * Chooses a provider: the one named {@code requested} if given, else the available provider with the
     * highest priority (ties: discovery order).
     *
     * @throws ProviderException naming every candidate and why it is unavailable, when none can be used
     */
    public static <P extends ServiceProvider> P select(ServiceLoader<P> loader, Class<P> spi,
                                                       Optional<String> requested) {
        List<Candidate<P>> all = candidates(loader, spi);
        List<ProviderStatus> statuses = new ArrayList<>();
        for (Candidate<P> c : all) {
            statuses.add(c.status);
        }
        markDuplicates(statuses);
        Map<String, Integer> byName = new LinkedHashMap<>();
        for (ProviderStatus s : statuses) {
            byName.merge(s.name(), 1, Integer::sum);
        }
        if (requested.isPresent()) {
            String want = requested.get();
            for (int i = 0; i < all.size(); i++) {
                Candidate<P> c = all.get(i);
                ProviderStatus s = statuses.get(i);
                if (s.name().equals(want)) {
                    if (byName.get(want) > 1) {
                        throw new ProviderException(spi.getSimpleName() + " '" + want + "' is provided by "
                                + byName.get(want) + " modules; remove all but one from the module path."
                                + candidatesText(statuses));
                    }
                    if (s.available() && c.provider != null) {
                        return c.provider;
                    }
                    throw new ProviderException(spi.getSimpleName() + " '" + want + "' is not available: "
                            + s.cause().orElse("unknown") + candidatesText(statuses));
                }
            }
            throw new ProviderException("no " + spi.getSimpleName() + " named '" + want + "'."
                    + candidatesText(statuses));
        }
        Candidate<P> best = null;
        for (int i = 0; i < all.size(); i++) {
            Candidate<P> c = all.get(i);
            if (c.provider != null && statuses.get(i).available()
                    && (best == null || c.status.priority() > best.status.priority())) {
                best = c;
            }
        }
        if (best == null) {
            throw new ProviderException("no " + spi.getSimpleName() + " is available." + candidatesText(statuses));
        }
        return best.provider;
    }

    private static String candidatesText(List<ProviderStatus> statuses) {
        if (statuses.isEmpty()) {
            return " No candidates were found on the module path.";
        }
        StringBuilder sb = new StringBuilder(" Candidates:");
        statuses.stream()
                .sorted(Comparator.comparing(ProviderStatus::name))
                .forEach(s -> sb.append("\n  ").append(s.describe()));
        return sb.toString();
    }

    private static void markDuplicates(List<ProviderStatus> statuses) {
        Map<String, Integer> count = new LinkedHashMap<>();
        for (ProviderStatus s : statuses) {
            count.merge(s.name(), 1, Integer::sum);
        }
        for (int i = 0; i < statuses.size(); i++) {
            ProviderStatus s = statuses.get(i);
            if (count.get(s.name()) > 1 && s.available()) {
                statuses.set(i, new ProviderStatus(s.spi(), s.name(), s.description(), s.module(), false,
                        Optional.of("duplicate name '" + s.name() + "': " + count.get(s.name())
                                + " providers claim it"), s.priority()));
            }
        }
    }

    private record Candidate<P>(P provider, ProviderStatus status) {
    }

    private static <P extends ServiceProvider> List<Candidate<P>> candidates(ServiceLoader<P> loader, Class<P> spi) {
        List<Candidate<P>> out = new ArrayList<>();
        String spiName = spi.getSimpleName();
        Iterator<ServiceLoader.Provider<P>> it = loader.stream().iterator();
        while (true) {
            ServiceLoader.Provider<P> handle;
            try {
                if (!it.hasNext()) {
                    break;
                }
                handle = it.next();
            } catch (ServiceConfigurationError e) {
                out.add(new Candidate<>(null, new ProviderStatus(spiName, "(unloadable)", e.getMessage(), "?",
                        false, Optional.of(rootMessage(e)), Integer.MIN_VALUE)));
                continue;
            }
            String module = moduleName(handle.type());
            P p;
            try {
                p = handle.get();
            } catch (ServiceConfigurationError | RuntimeException e) {
                out.add(new Candidate<>(null, new ProviderStatus(spiName, handle.type().getName(),
                        "could not be instantiated", module, false,
                        Optional.of("constructor failed: " + rootMessage(e)), Integer.MIN_VALUE)));
                continue;
            }
            out.add(new Candidate<>(p, inspect(spiName, p, module)));
        }
        return out;
    }

    private static ProviderStatus inspect(String spiName, ServiceProvider p, String module) {
        String name;
        try {
            name = p.name();
        } catch (RuntimeException e) {
            return new ProviderStatus(spiName, p.getClass().getName(), "name() failed", module, false,
                    Optional.of("name() threw " + rootMessage(e)), Integer.MIN_VALUE);
        }
        try {
            boolean available = p.isAvailable();
            Optional<String> cause = available ? Optional.empty()
                    : Optional.of(p.unavailabilityCause().orElse("the provider gives no reason"));
            return new ProviderStatus(spiName, name, p.description(), module, available, cause, p.priority());
        } catch (RuntimeException e) {
            return new ProviderStatus(spiName, name, "availability check failed", module, false,
                    Optional.of("isAvailable() threw " + rootMessage(e)), Integer.MIN_VALUE);
        }
    }

    private static String moduleName(Class<?> type) {
        Module m = type.getModule();
        return m.isNamed() ? m.getName() : "unnamed module";
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        String msg = r.getMessage();
        return r.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }
}
