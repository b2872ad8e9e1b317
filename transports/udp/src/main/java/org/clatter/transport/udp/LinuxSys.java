package org.clatter.transport.udp;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;
import java.util.Optional;

/**
 * The Linux socket calls the native UDP path makes, as FFM downcalls, with their constants and the 64-bit
 * layouts of {@code <sys/socket.h>} (x86_64 and aarch64 share them). Touch this class only after
 * {@link #unavailabilityCause()} says it is usable: its static initialiser links the downcalls, which needs
 * native access for this module (and would print the JDK's warning without it).
 *
 * <p>Most handles that can fail take a leading errno-capture segment ({@link #newErrnoState}); read the
 * error with {@link #errno(MemorySegment)}. The {@code *_FAST} handles of the data path do not (see there). Buffer pointers of {@code sendto} are passed as raw addresses
 * ({@code long}) so that sending a slice of a frame allocates no segment.
 */
final class LinuxSys {
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_REUSEADDR = 2;
    static final int SO_BROADCAST = 6;
    static final int SO_SNDBUF = 7;
    static final int SO_RCVBUF = 8;
    static final int SO_REUSEPORT = 15;
    static final int IPPROTO_IPV6 = 41;
    static final int IPV6_MULTICAST_IF = 17;
    static final int IPV6_MULTICAST_LOOP = 19;
    static final int IPV6_JOIN_GROUP = 20;
    static final int SOL_UDP = 17;
    static final int UDP_SEGMENT = 103;
    static final int UDP_GRO = 104;
    static final int MSG_TRUNC = 0x20;
    static final int MSG_DONTWAIT = 0x40;
    static final short POLLIN = 0x1;
    static final short POLLNVAL = 0x20;
    static final int EFD_NONBLOCK = 0x800;
    static final int EFD_CLOEXEC = 0x80000;

    static final int EPERM = 1;
    static final int EINTR = 4;
    static final int EIO = 5;
    static final int EBADF = 9;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EINVAL = 22;
    static final int EMSGSIZE = 90;
    static final int ENOPROTOOPT = 92;
    static final int EOPNOTSUPP = 95;
    static final int EAFNOSUPPORT = 97;
    static final int EADDRNOTAVAIL = 99;
    static final int ENETUNREACH = 101;
    static final int ENOBUFS = 105;
    static final int ECONNREFUSED = 111;
    static final int EHOSTUNREACH = 113;

    /** {@code struct sockaddr_in6}, the larger of the two: 28 bytes. */
    static final int SOCKADDR_IN6_SIZE = 28;
    static final int SOCKADDR_IN_SIZE = 16;

    /** {@code struct msghdr} on LP64: name, namelen, iov, iovlen, control, controllen, flags. */
    static final StructLayout MSGHDR = MemoryLayout.structLayout(
            ValueLayout.ADDRESS.withName("msg_name"),
            ValueLayout.JAVA_INT.withName("msg_namelen"),
            MemoryLayout.paddingLayout(4),
            ValueLayout.ADDRESS.withName("msg_iov"),
            ValueLayout.JAVA_LONG.withName("msg_iovlen"),
            ValueLayout.ADDRESS.withName("msg_control"),
            ValueLayout.JAVA_LONG.withName("msg_controllen"),
            ValueLayout.JAVA_INT.withName("msg_flags"),
            MemoryLayout.paddingLayout(4));
    static final long MSG_NAME = 0;
    static final long MSG_NAMELEN = 8;
    static final long MSG_IOV = 16;
    static final long MSG_IOVLEN = 24;
    static final long MSG_CONTROL = 32;
    static final long MSG_CONTROLLEN = 40;
    static final long MSG_FLAGS = 48;

    /** {@code struct iovec}: base, len. */
    static final long IOVEC_SIZE = 16;

    /** {@code struct cmsghdr}: size_t len, int level, int type, then the data at {@code CMSG_ALIGN(16)}. */
    static final long CMSG_HEADER = 16;
    static final long CMSG_LEVEL = 8;
    static final long CMSG_TYPE = 12;

    /** {@code CMSG_ALIGN}: to the size of {@code size_t}, 8 on 64-bit Linux. */
    static long cmsgAlign(long n) {
        return (n + 7) & ~7L;
    }

    /** {@code CMSG_SPACE(n)}. */
    static long cmsgSpace(long n) {
        return CMSG_HEADER + cmsgAlign(n);
    }

    /** {@code CMSG_LEN(n)}. */
    static long cmsgLen(long n) {
        return CMSG_HEADER + n;
    }

    private static final Optional<String> UNAVAILABLE = probe();

    /** Why the native path cannot be used here, or empty when it can. Never prints anything. */
    static Optional<String> unavailabilityCause() {
        return UNAVAILABLE;
    }

    private static Optional<String> probe() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("Linux")) {
            return Optional.of("the native UDP path is Linux only (os.name=" + os + ")");
        }
        if (!arch.equals("amd64") && !arch.equals("x86_64") && !arch.equals("aarch64")) {
            return Optional.of("the native UDP path supports x86_64 and aarch64, not " + arch);
        }
        Module m = LinuxSys.class.getModule();
        if (!m.isNativeAccessEnabled()) {
            return Optional.of("native access is not enabled for " + (m.isNamed() ? m.getName() : "the class path")
                    + ": run java with --enable-native-access=" + (m.isNamed() ? m.getName() : "ALL-UNNAMED"));
        }
        try {
            Calls.SOCKET.type();
            return Optional.empty();
        } catch (Throwable t) {
            return Optional.of("cannot link the socket calls: " + t);
        }
    }

    /** A fresh errno capture segment (one per calling thread). */
    static MemorySegment newErrnoState(java.lang.foreign.Arena arena) {
        return arena.allocate(Linker.Option.captureStateLayout());
    }

    static int errno(MemorySegment state) {
        return (int) Calls.ERRNO.get(state, 0L);
    }

    /** {@code strerror(errno)} with the number, for messages. */
    static String describe(int errno) {
        try {
            MemorySegment s = (MemorySegment) Calls.STRERROR.invokeExact(errno);
            return s.reinterpret(256).getString(0) + " (errno " + errno + ")";
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    private LinuxSys() {
    }

    /** The linked downcalls; initialised on first use, after the checks above. */
    static final class Calls {
        private static final Linker LINKER = Linker.nativeLinker();
        private static final SymbolLookup LIBC = LINKER.defaultLookup();
        private static final Linker.Option ERRNO_OPT = Linker.Option.captureCallState("errno");
        static final VarHandle ERRNO = Linker.Option.captureStateLayout()
                .varHandle(MemoryLayout.PathElement.groupElement("errno"));
        private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
        private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
        private static final AddressLayout P = ValueLayout.ADDRESS;

        /** int socket(int domain, int type, int protocol) */
        static final MethodHandle SOCKET = link("socket", FunctionDescriptor.of(I, I, I, I), true);
        /** int setsockopt(int fd, int level, int name, const void *value, socklen_t len) */
        static final MethodHandle SETSOCKOPT = link("setsockopt", FunctionDescriptor.of(I, I, I, I, P, I), true);
        /** int bind(int fd, const struct sockaddr *addr, socklen_t len) */
        static final MethodHandle BIND = link("bind", FunctionDescriptor.of(I, I, P, I), true);
        /** int getsockname(int fd, struct sockaddr *addr, socklen_t *len) */
        static final MethodHandle GETSOCKNAME = link("getsockname", FunctionDescriptor.of(I, I, P, P), true);
        /** ssize_t sendto(int fd, const void *buf (raw address), size_t len, int flags, const sockaddr *to, socklen_t) */
        static final MethodHandle SENDTO = link("sendto", FunctionDescriptor.of(L, I, L, L, I, P, I), true);
        /** ssize_t sendmsg(int fd, const struct msghdr *msg, int flags) */
        static final MethodHandle SENDMSG = link("sendmsg", FunctionDescriptor.of(L, I, P, I), true);
        /** ssize_t recvmsg(int fd, struct msghdr *msg, int flags) */
        static final MethodHandle RECVMSG = link("recvmsg", FunctionDescriptor.of(L, I, P, I), true);
        /** int poll(struct pollfd *fds, nfds_t n, int timeoutMillis) */
        static final MethodHandle POLL = link("poll", FunctionDescriptor.of(I, P, L, I), false);
        /*
         * The hot-path calls without errno capture: the capturing adapter slices its capture segment on every
         * call, an allocation that escape analysis removes only when the whole adapter is inlined. These are
         * called first; only a call that fails is repeated through the capturing handle above to learn why
         * (a failed UDP send or receive did nothing, so repeating it is safe).
         */
        /** sendto, as {@link #SENDTO} without the capture segment. */
        static final MethodHandle SENDTO_FAST = link("sendto", FunctionDescriptor.of(L, I, L, L, I, P, I), false);
        /** sendmsg, as {@link #SENDMSG} without the capture segment. */
        static final MethodHandle SENDMSG_FAST = link("sendmsg", FunctionDescriptor.of(L, I, P, I), false);
        /** recvmsg, as {@link #RECVMSG} without the capture segment. */
        static final MethodHandle RECVMSG_FAST = link("recvmsg", FunctionDescriptor.of(L, I, P, I), false);
        /** int eventfd(unsigned int initval, int flags) */
        static final MethodHandle EVENTFD = link("eventfd", FunctionDescriptor.of(I, I, I), true);
        /** ssize_t write(int fd, const void *buf, size_t n) */
        static final MethodHandle WRITE = link("write", FunctionDescriptor.of(L, I, P, L), true);
        /** int close(int fd) */
        static final MethodHandle CLOSE = link("close", FunctionDescriptor.of(I, I), false);
        /** char *strerror(int errnum) */
        static final MethodHandle STRERROR = link("strerror", FunctionDescriptor.of(P, I), false);

        private static MethodHandle link(String name, FunctionDescriptor fd, boolean errno) {
            MemorySegment symbol = LIBC.find(name).orElseThrow(
                    () -> new UnsatisfiedLinkError("libc has no " + name));
            return errno ? LINKER.downcallHandle(symbol, fd, ERRNO_OPT) : LINKER.downcallHandle(symbol, fd);
        }

        private Calls() {
        }
    }
}
