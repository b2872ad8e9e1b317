package org.clatter.tools.cli.demo;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.clatter.mdp.cli.DemoCommand;
import org.clatter.mdp.cli.DemoCommand.Step;

/**
 * {@code clatter demo [--seed N] [--loss P]}: MDP's demo (A – B – C on the simulated network: discovery, ping,
 * trace, DNA lookup, routes) followed by the steps of the modules above MDP. To add a step, implement
 * {@link Step} and append it in {@link #steps()}; it runs on the shared {@link DemoCommand.Mesh} after the
 * routes are printed and before the summary.
 */
public final class Demo {
    /** The file the MSP step streams A → C. */
    public static final int FILE_BYTES = 1 << 20;
    /** The bundle the Rhizome step carries A → B → C while B comes and goes. */
    public static final int BUNDLE_BYTES = 64 * 1024;

    private Demo() {
    }

    /** Every step of the demo, in order. */
    public static List<Step> steps() {
        List<Step> steps = new ArrayList<>(DemoCommand.steps());
        steps.add(new MspFileStep(FILE_BYTES));
        steps.add(new RhizomeSyncStep(BUNDLE_BYTES));
        return List.copyOf(steps);
    }

    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        return DemoCommand.run(args, in, out, err, steps());
    }
}
