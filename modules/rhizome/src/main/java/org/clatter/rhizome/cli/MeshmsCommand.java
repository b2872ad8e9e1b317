package org.clatter.rhizome.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.clatter.rhizome.RhizomeException;
import org.clatter.rhizome.RhizomeIdentity;
import org.clatter.rhizome.RhizomeStore;
import org.clatter.rhizome.meshms.MeshMs;

/**
 * {@code clatter meshms ...} on the local store: send a message, list conversations, list messages (which, like
 * servald, acknowledges the other side's messages), mark read.
 *
 * <pre>
 *   meshms send message SENDER RECIPIENT TEXT
 *   meshms list conversations SID
 *   meshms list messages SID OTHER
 *   meshms read messages SID OTHER
 * </pre>
 */
public final class MeshmsCommand {
    static final String USAGE = """
            usage: clatter meshms send message SENDER RECIPIENT TEXT
                   clatter meshms list conversations SID
                   clatter meshms list messages SID OTHER
                   clatter meshms read messages SID OTHER
            options: --instance DIR (or CLATTER_INSTANCE), --pin PIN (or CLATTER_PIN); identities come from
                     <instance>/keyring.clatter, else <instance>/identities.dump""";

    private MeshmsCommand() {
    }

    /** Runs the command; {@code args} may start with {@code "meshms"}. Returns 0 on success, 1 on failure, 2 on bad usage. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        try {
            Args a = Args.parse(args, "meshms");
            String verb = a.at(0, "a subcommand (send, list, read)") + " " + a.at(1, "what (message, conversations, messages)");
            Path inst = a.instance();
            try (RhizomeStore store = RhizomeStore.open(inst)) {
                MeshMs ms = new MeshMs(store);
                switch (verb) {
                    case "send message" -> {
                        RhizomeIdentity me = Args.identity(inst, store.crypto(), a.pin(), a.at(2, "SENDER"));
                        String to = sid(a.at(3, "RECIPIENT"));
                        ms.send(me, to, a.at(4, "TEXT"), System.currentTimeMillis() / 1000);
                        out.println("sent");
                    }
                    case "list conversations" -> {
                        RhizomeIdentity me = Args.identity(inst, store.crypto(), a.pin(), a.at(2, "SID"));
                        out.println("other\tunread\tmy_length\ttheir_length");
                        for (MeshMs.Conversation c : ms.conversations(me)) {
                            out.println(c.other() + "\t" + (c.unread() ? "unread" : "") + "\t" + c.myPlyLength() + "\t" + c.theirPlyLength());
                        }
                    }
                    case "list messages" -> {
                        RhizomeIdentity me = Args.identity(inst, store.crypto(), a.pin(), a.at(2, "SID"));
                        out.println("type\ttime\tstatus\tmessage");
                        for (MeshMs.Message m : ms.messages(me, sid(a.at(3, "OTHER")))) {
                            String status = m.sentByMe() ? (m.delivered() ? "delivered" : "") : (m.read() ? "read" : "unread");
                            out.println((m.sentByMe() ? ">" : "<") + "\t" + m.unixSeconds() + "\t" + status + "\t" + m.text());
                        }
                    }
                    case "read messages" -> {
                        RhizomeIdentity me = Args.identity(inst, store.crypto(), a.pin(), a.at(2, "SID"));
                        ms.markRead(me, sid(a.at(3, "OTHER")));
                        out.println("marked read");
                    }
                    default -> throw new Args.UsageException("unknown subcommand '" + verb + "'");
                }
                return 0;
            }
        } catch (Args.UsageException e) {
            err.println("clatter meshms: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (RhizomeException | UncheckedIOException | org.clatter.spi.storage.StorageException e) {
            err.println("clatter meshms: " + e.getMessage());
            return 1;
        }
    }

    private static String sid(String s) {
        if (s.length() != 64 || !s.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new Args.UsageException("'" + s + "' is not a SID (64 hex digits)");
        }
        return s;
    }
}
