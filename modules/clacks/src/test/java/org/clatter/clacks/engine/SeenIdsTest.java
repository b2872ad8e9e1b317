package org.clatter.clacks.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeenIdsTest {

    record Id(long hi, long lo) {
    }

    @Test
    void behavesLikeABoundedFifoSet() {
        qt().forAll(integers().between(1, 64), integers().all()).checkAssert((cap, seed) -> {
            SeenIds s = new SeenIds(cap);
            ArrayDeque<Id> order = new ArrayDeque<>();
            Set<Id> model = new HashSet<>();
            Random r = new Random(seed);
            for (int step = 0; step < 2000; step++) {
                // a small id space makes collisions, re-adds and long probe chains likely
                Id id = new Id(r.nextInt(8), r.nextInt(3 * cap + 1));
                boolean fresh = !model.contains(id);
                assertEquals(fresh, s.add(id.hi(), id.lo()), "seed " + seed);
                if (fresh) {
                    order.addLast(id);
                    model.add(id);
                    if (order.size() > cap) {
                        model.remove(order.removeFirst());
                    }
                }
                Id probe = new Id(r.nextInt(8), r.nextInt(3 * cap + 1));
                assertEquals(model.contains(probe), s.contains(probe.hi(), probe.lo()), "seed " + seed);
            }
        });
    }
}
