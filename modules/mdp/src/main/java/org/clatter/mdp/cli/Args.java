package org.clatter.mdp.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.clatter.mdp.MdpException;
import org.clatter.mdp.node.Instance;

/** Parsed command-line options: {@code --name value} options (repeatable) and positional words. */
final class Args {
    final List<String> positional = new ArrayList<>();
    final Map<String, List<String>> options = new HashMap<>();

    /** @param withValue the options that take a value; any other {@code --x} is a flag */
    static Args parse(String[] args, Set<String> withValue) {
        Args a = new Args();
        for (int i = 0; i < args.length; i++) {
            String s = args[i];
            if (s.startsWith("--") && s.length() > 2) {
                String name = s.substring(2);
                String value = "";
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                } else if (withValue.contains(name)) {
                    if (i + 1 >= args.length) {
                        throw new MdpException("--" + name + " needs a value");
                    }
                    value = args[++i];
                }
                a.options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                a.positional.add(s);
            }
        }
        return a;
    }

    Optional<String> option(String name) {
        List<String> v = options.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.getLast());
    }

    List<String> all(String name) {
        return options.getOrDefault(name, List.of());
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    Instance instance() {
        return Instance.resolve(option("instance").orElse(null), option("pin").orElse(null), System.getenv());
    }

    /** Everything but --instance and --pin, for forwarding to the node. */
    static List<String> forwardable(String[] args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String s = args[i];
            if (s.equals("--instance") || s.equals("--pin")) {
                i++;
            } else if (!s.startsWith("--instance=") && !s.startsWith("--pin=")) {
                out.add(s);
            }
        }
        return out;
    }
}
