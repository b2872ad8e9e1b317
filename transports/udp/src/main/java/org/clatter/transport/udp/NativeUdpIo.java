package org.clatter.transport.udp;

import static org.clatter.transport.udp.LinuxSys.Calls;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Objects;
import org.clatter.spi.transport.FrameSink;
import org.clatter.spi.transport.FrameSlot;
import org.clatter.spi.transport.SendResult;

/**
 * The Linux socket path: the system calls through FFM, with UDP segmentation offload on both sides.
 *
 * <p>Sending: outside a batch every frame is one {@code sendto}. Inside a {@link #beginBatch() batch} frames are
 * copied into a 64 KB staging buffer as a <em>run</em>: consecutive frames to one destination with equal
 * length (the last may be shorter). A run goes out as one {@code sendmsg} with a {@code UDP_SEGMENT} control
 * message (the kernel cuts it into the same datagrams the frames would have been) when the destination or size
 * changes, at {@value #MAX_SEGMENTS} segments, when the next frame would pass {@value #MAX_RUN_BYTES} bytes, and
 * at {@link #endBatch()}; a run of one is a plain {@code sendto}. If the kernel refuses segmentation (EIO,
 * EINVAL, ENOPROTOOPT, EOPNOTSUPP) the run is re-sent frame by frame and the link stops trying
 * ({@code gsoFallbacks}).
 *
 * <p>Receiving: one thread per link polls the sockets and an {@code eventfd} (which {@link #close()} writes to
 * wake it), then drains each readable socket with non-blocking {@code recvmsg} into a 64 KB staging buffer.
 * With {@code UDP_GRO} the kernel may hand back several datagrams of one sender coalesced, with their size in a
 * control message; {@link GroSplitter} cuts them apart and each goes into its own slot. Senders are interned by
 * their raw sockaddr bytes (compared with the last sender's first), so a known sender allocates nothing.
 */
final class NativeUdpIo extends UdpIo {
    static final int MAX_SEGMENTS = 64;
    static final int MAX_RUN_BYTES = 65_000;
    private static final int STAGE = 65_536;
    private static final int CONTROL = 64;
    private static final int MAX_INTERNED = 4096;
    private static final int MAX_DESTINATIONS = 1024;
    private static final int MAX_READS_PER_WAKEUP = 64;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;

    private final Arena arena = Arena.ofAuto();
    private final int fd;
    private final int broadcastFd;
    private final int wakeFd;
    private final Dest broadcastDest;
    private final boolean gro;

    // ------------------------------------------------------------------ sender side (one thread at a time)
    private final MemorySegment txErrno = LinuxSys.newErrnoState(arena);
    private final MemorySegment txStage = arena.allocate(STAGE, 16);
    private final MemorySegment txMsg = arena.allocate(LinuxSys.MSGHDR);
    private final MemorySegment txIov = arena.allocate(LinuxSys.IOVEC_SIZE, 8);
    private final MemorySegment txCtl = arena.allocate(LinuxSys.cmsgSpace(2), 8);
    private final IdentityHashMap<UdpAddress, Dest> destinations = new IdentityHashMap<>();
    private UdpAddress lastTo;
    private Dest lastDest;
    private boolean gso;
    /** Tests: behave as if the kernel refused the next segmentation offload. */
    volatile boolean refuseGso;
    private boolean inBatch;
    private Dest runDest;
    private int runSegment;
    private int runCount;
    private int runBytes;
    private boolean runEnded;

    // ------------------------------------------------------------------ receiver side (its thread only)
    private final MemorySegment rxErrno = LinuxSys.newErrnoState(arena);
    private final MemorySegment rxStage = arena.allocate(STAGE, 16);
    private final MemorySegment rxMsg = arena.allocate(LinuxSys.MSGHDR);
    private final MemorySegment rxIov = arena.allocate(LinuxSys.IOVEC_SIZE, 8);
    private final MemorySegment rxCtl = arena.allocate(CONTROL, 8);
    private final MemorySegment rxName = arena.allocate(LinuxSys.SOCKADDR_IN6_SIZE, 8);
    private final MemorySegment pollFds = arena.allocate(3 * 8, 8);
    private final HashMap<Sockaddr.Key, UdpAddress> interned = new HashMap<>();
    private final Sockaddr.Key probe = new Sockaddr.Key();
    private final GroSplitter.Segments deliver = this::deliver;
    private Rx unicastRx;
    private Rx broadcastRx;
    private FrameSink sink;
    private UdpLink link;
    private UdpAddress local;
    private Rx current;
    private UdpAddress currentSource;

    /** One destination's encoded sockaddr. */
    private record Dest(MemorySegment sockaddr, int length) {
    }

    /** Per-socket receive state: the last sender's raw address and its interned form. */
    private final class Rx {
        final int fd;
        final boolean broadcast;
        final MemorySegment lastRaw = arena.allocate(LinuxSys.SOCKADDR_IN6_SIZE, 8);
        int lastLength;
        UdpAddress lastAddress;

        Rx(int fd, boolean broadcast) {
            this.fd = fd;
            this.broadcast = broadcast;
        }
    }

    NativeUdpIo(UdpLinkSpec spec, UdpSettings settings, UdpStats stats) throws IOException {
        super(stats);
        InetAddress ip = spec.bind().getAddress();
        boolean v6 = ip instanceof Inet6Address;
        int family = v6 ? LinuxSys.AF_INET6 : LinuxSys.AF_INET;
        MemorySegment err = LinuxSys.newErrnoState(arena);
        MemorySegment sa = arena.allocate(LinuxSys.SOCKADDR_IN6_SIZE, 8);
        int u = -1;
        int b = -1;
        int w = -1;
        try {
            u = open(err, family, settings);
            if (!v6) {
                setInt(err, u, LinuxSys.SOL_SOCKET, LinuxSys.SO_BROADCAST, 1, "SO_BROADCAST");
            }
            if (v6 && spec.networkInterface().isPresent()) {
                setInt(err, u, LinuxSys.IPPROTO_IPV6, LinuxSys.IPV6_MULTICAST_IF, spec.networkInterface().get().getIndex(),
                        "IPV6_MULTICAST_IF");
                setInt(err, u, LinuxSys.IPPROTO_IPV6, LinuxSys.IPV6_MULTICAST_LOOP, 1, "IPV6_MULTICAST_LOOP");
            }
            bind(err, u, spec.bind(), sa);
            int bound = localPort(err, u, sa);
            InetSocketAddress target = spec.broadcast().map(t -> new InetSocketAddress(t.getAddress(), bound)).orElse(null);
            if (target != null && settings.bindBroadcast()) {
                b = open(err, family, settings);
                InetAddress wildcard = v6 ? InetAddress.getByName("::") : InetAddress.getByName("0.0.0.0");
                bind(err, b, new InetSocketAddress(wildcard, bound), sa);
                if (v6) {
                    MemorySegment mreq = arena.allocate(20, 4);
                    MemorySegment.copy(target.getAddress().getAddress(), 0, mreq, ValueLayout.JAVA_BYTE, 0, 16);
                    mreq.set(INT, 16, spec.networkInterface().orElseThrow().getIndex());
                    check(err, (int) Calls.SETSOCKOPT.invokeExact(err, b, LinuxSys.IPPROTO_IPV6, LinuxSys.IPV6_JOIN_GROUP,
                            mreq, 20), "IPV6_JOIN_GROUP ff02::1");
                }
            }
            w = (int) Calls.EVENTFD.invokeExact(err, 0, LinuxSys.EFD_NONBLOCK | LinuxSys.EFD_CLOEXEC);
            check(err, w, "eventfd");
            this.port = bound;
            this.broadcastTarget = target;
        } catch (IOException | RuntimeException e) {
            closeFd(u);
            closeFd(b);
            closeFd(w);
            throw e;
        } catch (Throwable t) {
            closeFd(u);
            closeFd(b);
            closeFd(w);
            throw new IOException("native socket call failed: " + t, t);
        }
        this.fd = u;
        this.broadcastFd = b;
        this.wakeFd = w;
        this.broadcastDest = broadcastTarget == null ? null : encode(broadcastTarget);
        // probe segmentation offload once: a kernel without it refuses the option
        boolean gsoOk = settings.gso() && trySetInt(err, u, LinuxSys.SOL_UDP, LinuxSys.UDP_SEGMENT, 0);
        if (settings.gso() && !gsoOk) {
            stats.gsoFallbacks.incrementAndGet();
        }
        this.gso = gsoOk;
        boolean groOk = settings.gro() && trySetInt(err, u, LinuxSys.SOL_UDP, LinuxSys.UDP_GRO, 1);
        if (groOk && b >= 0) {
            groOk = trySetInt(err, b, LinuxSys.SOL_UDP, LinuxSys.UDP_GRO, 1);
        }
        this.gro = groOk;
        // the send header: iov and control fixed, name and lengths per run
        txIov.set(ValueLayout.ADDRESS, 0, txStage);
        txMsg.set(ValueLayout.ADDRESS, LinuxSys.MSG_IOV, txIov);
        txMsg.set(LONG, LinuxSys.MSG_IOVLEN, 1);
        txMsg.set(ValueLayout.ADDRESS, LinuxSys.MSG_CONTROL, txCtl);
        txMsg.set(LONG, LinuxSys.MSG_CONTROLLEN, LinuxSys.cmsgSpace(2));
        txCtl.set(LONG, 0, LinuxSys.cmsgLen(2));
        txCtl.set(INT, LinuxSys.CMSG_LEVEL, LinuxSys.SOL_UDP);
        txCtl.set(INT, LinuxSys.CMSG_TYPE, LinuxSys.UDP_SEGMENT);
        // the receive header: name, iov and control fixed, lengths reset per call
        rxIov.set(ValueLayout.ADDRESS, 0, rxStage);
        rxIov.set(LONG, 8, STAGE);
        rxMsg.set(ValueLayout.ADDRESS, LinuxSys.MSG_NAME, rxName);
        rxMsg.set(ValueLayout.ADDRESS, LinuxSys.MSG_IOV, rxIov);
        rxMsg.set(LONG, LinuxSys.MSG_IOVLEN, 1);
        rxMsg.set(ValueLayout.ADDRESS, LinuxSys.MSG_CONTROL, rxCtl);
    }

    private static int open(MemorySegment err, int family, UdpSettings s) throws Throwable {
        int f = (int) Calls.SOCKET.invokeExact(err, family, LinuxSys.SOCK_DGRAM | LinuxSys.SOCK_NONBLOCK
                | LinuxSys.SOCK_CLOEXEC, 0);
        check(err, f, "socket");
        try {
            setInt(err, f, LinuxSys.SOL_SOCKET, LinuxSys.SO_REUSEADDR, 1, "SO_REUSEADDR");
            if (s.reusePort()) {
                setInt(err, f, LinuxSys.SOL_SOCKET, LinuxSys.SO_REUSEPORT, 1, "SO_REUSEPORT");
            }
            if (s.receiveBuffer() > 0) {
                setInt(err, f, LinuxSys.SOL_SOCKET, LinuxSys.SO_RCVBUF, s.receiveBuffer(), "SO_RCVBUF");
            }
            if (s.sendBuffer() > 0) {
                setInt(err, f, LinuxSys.SOL_SOCKET, LinuxSys.SO_SNDBUF, s.sendBuffer(), "SO_SNDBUF");
            }
        } catch (Throwable t) {
            closeFd(f);
            throw t;
        }
        return f;
    }

    private static void setInt(MemorySegment err, int f, int level, int name, int value, String what) throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(INT);
            v.set(INT, 0, value);
            check(err, (int) Calls.SETSOCKOPT.invokeExact(err, f, level, name, v, 4), what);
        }
    }

    private static boolean trySetInt(MemorySegment err, int f, int level, int name, int value) {
        try {
            setInt(err, f, level, name, value, "setsockopt");
            return true;
        } catch (Throwable t) {
            return false;
        }
    }

    private static void bind(MemorySegment err, int f, InetSocketAddress to, MemorySegment sa) throws Throwable {
        int len = Sockaddr.encode(to, sa);
        if ((int) Calls.BIND.invokeExact(err, f, sa, len) < 0) {
            int e = LinuxSys.errno(err);
            String msg = "bind " + to + ": " + LinuxSys.describe(e);
            throw e == LinuxSys.EADDRNOTAVAIL || e == 98 /* EADDRINUSE */ ? new BindException(msg) : new IOException(msg);
        }
    }

    private static int localPort(MemorySegment err, int f, MemorySegment sa) throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment len = a.allocate(INT);
            len.set(INT, 0, LinuxSys.SOCKADDR_IN6_SIZE);
            check(err, (int) Calls.GETSOCKNAME.invokeExact(err, f, sa, len), "getsockname");
            return Sockaddr.port(sa);
        }
    }

    private static void check(MemorySegment err, int result, String what) throws IOException {
        if (result < 0) {
            throw new IOException(what + ": " + LinuxSys.describe(LinuxSys.errno(err)));
        }
    }

    private static void closeFd(int f) {
        if (f >= 0) {
            try {
                int ignored = (int) Calls.CLOSE.invokeExact(f);
            } catch (Throwable ignored) {
                // closing on the way out: nothing more to do
            }
        }
    }

    @Override
    boolean isNative() {
        return true;
    }

    /** Whether the kernel accepted UDP_GRO on the receiving sockets. */
    boolean groEnabled() {
        return gro;
    }

    // ------------------------------------------------------------------ sending

    private Dest encode(InetSocketAddress a) {
        MemorySegment sa = arena.allocate(LinuxSys.SOCKADDR_IN6_SIZE, 8);
        return new Dest(sa, Sockaddr.encode(a, sa));
    }

    private Dest destination(UdpAddress to) {
        if (to == lastTo) {
            return lastDest;
        }
        Dest d = destinations.get(to);
        if (d == null) {
            if (destinations.size() >= MAX_DESTINATIONS) {
                destinations.clear();
            }
            d = encode(to.socketAddress());
            destinations.put(to, d);
        }
        lastTo = to;
        lastDest = d;
        return d;
    }

    @Override
    void beginBatch() {
        inBatch = true;
    }

    @Override
    void endBatch() {
        flushRun();
        inBatch = false;
    }

    @Override
    int send(UdpAddress to, MemorySegment frame, long offset, int length) {
        Dest d = destination(to);
        if (inBatch && gso && length > 0) {
            return hold(d, frame, offset, length);
        }
        flushRun();
        return sendOne(d, frame, offset, length);
    }

    @Override
    int broadcast(MemorySegment frame, long offset, int length) {
        flushRun();
        return sendOne(broadcastDest, frame, offset, length);
    }

    /** Adds a frame to the run (flushing the run first if the frame cannot join it). */
    private int hold(Dest d, MemorySegment frame, long offset, int length) {
        if (runCount > 0 && (d != runDest || runEnded || length > runSegment || runCount >= MAX_SEGMENTS
                || runBytes + length > MAX_RUN_BYTES)) {
            flushRun();
        }
        MemorySegment.copy(frame, offset, txStage, runBytes, length);
        if (runCount == 0) {
            runDest = d;
            runSegment = length;
        } else if (length < runSegment) {
            runEnded = true;
        }
        runBytes += length;
        runCount++;
        return SendResult.SENT;
    }

    private int sendOne(Dest d, MemorySegment frame, long offset, int length) {
        long address;
        if (frame.isNative()) {
            Objects.checkFromIndexSize(offset, length, frame.byteSize());
            address = frame.address() + offset;
        } else {
            stats.copiedSends.incrementAndGet();
            MemorySegment.copy(frame, offset, txStage, 0, length);
            address = txStage.address();
        }
        return sendRaw(d, address, length);
    }

    private int sendRaw(Dest d, long address, int length) {
        long r;
        try {
            r = (long) Calls.SENDTO_FAST.invokeExact(fd, address, (long) length, LinuxSys.MSG_DONTWAIT,
                    d.sockaddr(), d.length());
            if (r < 0) {
                // nothing was sent: send again through the errno-capturing handle to learn why (or succeed)
                r = (long) Calls.SENDTO.invokeExact(txErrno, fd, address, (long) length, LinuxSys.MSG_DONTWAIT,
                        d.sockaddr(), d.length());
            }
        } catch (Throwable t) {
            stats.sendErrors.incrementAndGet();
            return SendResult.IO_ERROR;
        }
        if (r >= 0) {
            stats.sent.incrementAndGet();
            return SendResult.SENT;
        }
        return failed(LinuxSys.errno(txErrno), 1);
    }

    /** Sends the held run, if any: one sendmsg with UDP_SEGMENT for several frames, sendto for one. */
    private void flushRun() {
        int n = runCount;
        if (n == 0) {
            return;
        }
        int bytes = runBytes;
        int segment = runSegment;
        Dest d = runDest;
        runCount = 0;
        runBytes = 0;
        runEnded = false;
        runDest = null;
        if (n == 1) {
            sendRaw(d, txStage.address(), bytes);
            return;
        }
        int err;
        if (refuseGso) {
            err = LinuxSys.EIO;
        } else {
            txMsg.set(ValueLayout.ADDRESS, LinuxSys.MSG_NAME, d.sockaddr());
            txMsg.set(INT, LinuxSys.MSG_NAMELEN, d.length());
            txIov.set(LONG, 8, bytes);
            txCtl.set(ValueLayout.JAVA_SHORT, LinuxSys.CMSG_HEADER, (short) segment);
            long r;
            try {
                r = (long) Calls.SENDMSG_FAST.invokeExact(fd, txMsg, LinuxSys.MSG_DONTWAIT);
                if (r < 0) {
                    r = (long) Calls.SENDMSG.invokeExact(txErrno, fd, txMsg, LinuxSys.MSG_DONTWAIT);
                }
            } catch (Throwable t) {
                stats.sendErrors.addAndGet(n);
                return;
            }
            if (r >= 0) {
                stats.gsoSends.incrementAndGet();
                stats.gsoSegments.addAndGet(n);
                stats.sent.addAndGet(n);
                return;
            }
            err = LinuxSys.errno(txErrno);
        }
        if (err == LinuxSys.EIO || err == LinuxSys.EINVAL || err == LinuxSys.ENOPROTOOPT || err == LinuxSys.EOPNOTSUPP) {
            // the kernel (or the device) will not segment: send this run one by one, and everything after it too
            stats.gsoFallbacks.incrementAndGet();
            gso = false;
            refuseGso = false;
            long base = txStage.address();
            for (int off = 0; off < bytes; off += segment) {
                sendRaw(d, base + off, Math.min(segment, bytes - off));
            }
            return;
        }
        failed(err, n);
    }

    /** Counts a failed send of {@code frames} frames and maps its errno to a result code. */
    private int failed(int errno, int frames) {
        if (closed || errno == LinuxSys.EBADF) {
            return SendResult.CLOSED;
        }
        switch (errno) {
            case LinuxSys.EAGAIN, LinuxSys.ENOBUFS -> {
                stats.backPressured.addAndGet(frames);
                return SendResult.BACK_PRESSURED;
            }
            case LinuxSys.EMSGSIZE -> {
                stats.sendErrors.addAndGet(frames);
                return SendResult.TOO_LARGE;
            }
            case LinuxSys.ENETUNREACH, LinuxSys.EHOSTUNREACH, LinuxSys.EAFNOSUPPORT, LinuxSys.EADDRNOTAVAIL,
                 LinuxSys.EACCES, LinuxSys.EPERM -> {
                stats.sendErrors.addAndGet(frames);
                return SendResult.UNREACHABLE;
            }
            default -> {
                stats.sendErrors.addAndGet(frames);
                return SendResult.IO_ERROR;
            }
        }
    }

    // ------------------------------------------------------------------ receiving

    @Override
    void start(UdpLink link, UdpAddress local, FrameSink sink) {
        this.link = link;
        this.local = local;
        this.sink = sink;
        MemorySegment sa = arena.allocate(LinuxSys.SOCKADDR_IN6_SIZE, 8);
        int len = Sockaddr.encode(local.socketAddress(), sa);
        interned.put(new Sockaddr.Key().set(sa, len), local);
        unicastRx = new Rx(fd, false);
        broadcastRx = broadcastFd >= 0 ? new Rx(broadcastFd, true) : null;
        pollFds.set(INT, 0, wakeFd);
        pollFds.set(INT, 8, fd);
        pollFds.set(INT, 16, broadcastFd);
        for (int i = 0; i < 3; i++) {
            pollFds.set(ValueLayout.JAVA_SHORT, i * 8 + 4, LinuxSys.POLLIN);
        }
        startReceiver(local, this::receiveLoop);
    }

    private void receiveLoop() {
        long count = broadcastRx == null ? 2 : 3;
        while (!closed) {
            int n;
            try {
                n = (int) Calls.POLL.invokeExact(pollFds, count, -1);
            } catch (Throwable t) {
                stats.receiveErrors.incrementAndGet();
                return;
            }
            if (n < 0) {
                continue;  // EINTR (a signal): the only failure poll can have with these arguments
            }
            if (closed || revents(0) != 0 || ((revents(1) | revents(2)) & LinuxSys.POLLNVAL) != 0) {
                return;  // closing, or a socket is gone: nothing more can be read
            }
            if (revents(1) != 0) {
                drain(unicastRx);
            }
            if (broadcastRx != null && revents(2) != 0) {
                drain(broadcastRx);
            }
        }
    }

    private short revents(int i) {
        return pollFds.get(ValueLayout.JAVA_SHORT, i * 8 + 6);
    }

    private void drain(Rx rx) {
        for (int i = 0; i < MAX_READS_PER_WAKEUP && !closed; i++) {
            resetReceiveHeader();
            long r;
            try {
                r = (long) Calls.RECVMSG_FAST.invokeExact(rx.fd, rxMsg, LinuxSys.MSG_DONTWAIT);
                if (r < 0 && i == 0) {
                    // readable yet nothing read: ask again with errno capture, to count a real error. (A failure
                    // after reads is the socket running dry, EAGAIN: an unconnected UDP socket has no other.)
                    resetReceiveHeader();
                    r = (long) Calls.RECVMSG.invokeExact(rxErrno, rx.fd, rxMsg, LinuxSys.MSG_DONTWAIT);
                    if (r < 0 && LinuxSys.errno(rxErrno) != LinuxSys.EAGAIN) {
                        stats.receiveErrors.incrementAndGet();
                    }
                }
            } catch (Throwable t) {
                stats.receiveErrors.incrementAndGet();
                return;
            }
            if (r < 0) {
                return;
            }
            received(rx, (int) r);
        }
    }

    private void resetReceiveHeader() {
        rxMsg.set(INT, LinuxSys.MSG_NAMELEN, LinuxSys.SOCKADDR_IN6_SIZE);
        rxMsg.set(LONG, LinuxSys.MSG_CONTROLLEN, CONTROL);
        rxMsg.set(INT, LinuxSys.MSG_FLAGS, 0);
    }

    /** Handles one recvmsg result of {@code length} bytes in the staging buffer. */
    private void received(Rx rx, int length) {
        if ((rxMsg.get(INT, LinuxSys.MSG_FLAGS) & LinuxSys.MSG_TRUNC) != 0) {
            stats.receiveErrors.incrementAndGet();
            return;
        }
        UdpAddress source = intern(rx, rxMsg.get(INT, LinuxSys.MSG_NAMELEN));
        if (source == null) {
            stats.receiveErrors.incrementAndGet();
            return;
        }
        current = rx;
        currentSource = source;
        int segment = groSegmentSize();
        if (segment < 0) {
            deliver(0, length);
            return;
        }
        GroSplitter.split(length, segment, deliver, stats);
    }

    /** The UDP_GRO control message's segment size, or -1 when the datagram came alone. */
    private int groSegmentSize() {
        long controlLength = rxMsg.get(LONG, LinuxSys.MSG_CONTROLLEN);
        return groSegmentSize(rxCtl, Math.min(controlLength, CONTROL));
    }

    /** Walks the control messages in {@code control[0, length)} for SOL_UDP/UDP_GRO; -1 if none. */
    static int groSegmentSize(MemorySegment control, long length) {
        long off = 0;
        while (off + LinuxSys.CMSG_HEADER <= length) {
            long cmsgLength = control.get(LONG, off);
            if (cmsgLength < LinuxSys.CMSG_HEADER || off + cmsgLength > length) {
                return -1;
            }
            if (control.get(INT, off + LinuxSys.CMSG_LEVEL) == LinuxSys.SOL_UDP
                    && control.get(INT, off + LinuxSys.CMSG_TYPE) == LinuxSys.UDP_GRO) {
                if (cmsgLength >= LinuxSys.cmsgLen(4)) {
                    return control.get(INT, off + LinuxSys.CMSG_HEADER);
                }
                if (cmsgLength >= LinuxSys.cmsgLen(2)) {
                    return control.get(ValueLayout.JAVA_SHORT, off + LinuxSys.CMSG_HEADER) & 0xffff;
                }
                return 0;
            }
            off += LinuxSys.cmsgAlign(cmsgLength);
        }
        return -1;
    }

    /** One datagram at {@code offset} in the staging buffer into its own slot. */
    private void deliver(int offset, int length) {
        if (current.broadcast && currentSource == local) {
            stats.ownBroadcasts.incrementAndGet();
            return;
        }
        FrameSlot slot = sink.claim();
        try {
            int n = Math.min(length, slot.capacity());
            if (n < length) {
                stats.receiveErrors.incrementAndGet();
            }
            MemorySegment.copy(rxStage, offset, slot.segment(), 0, n);
            slot.received(link, currentSource, n, System.nanoTime());
            stats.received.incrementAndGet();
        } catch (RuntimeException e) {
            stats.receiveErrors.incrementAndGet();
            slot.discard();
        }
        sink.publish(slot);
    }

    private UdpAddress intern(Rx rx, int nameLength) {
        if (nameLength <= 0 || nameLength > LinuxSys.SOCKADDR_IN6_SIZE) {
            return null;
        }
        if (nameLength == rx.lastLength && sameAddress(rxName, rx.lastRaw, nameLength)) {
            return rx.lastAddress;
        }
        UdpAddress a = interned.get(probe.set(rxName, nameLength));
        if (a == null) {
            try {
                a = new UdpAddress(Sockaddr.decode(rxName, nameLength));
            } catch (IllegalArgumentException e) {
                return null;
            }
            if (interned.size() >= MAX_INTERNED) {
                UdpAddress me = interned.get(localKey());
                interned.clear();
                interned.put(localKey(), me);
            }
            interned.put(probe.copy(), a);
        }
        MemorySegment.copy(rxName, 0, rx.lastRaw, 0, nameLength);
        rx.lastLength = nameLength;
        rx.lastAddress = a;
        return a;
    }

    /** Whether two sockaddrs (16 or 28 bytes, 8-aligned) are equal, by word: no slices, nothing allocated. */
    private static boolean sameAddress(MemorySegment x, MemorySegment y, int length) {
        long diff = x.get(LONG, 0) ^ y.get(LONG, 0);
        diff |= x.get(LONG, 8) ^ y.get(LONG, 8);
        if (length > 16) {
            diff |= x.get(LONG, 16) ^ y.get(LONG, 16);
            diff |= x.get(INT, 24) ^ y.get(INT, 24);
        }
        return diff == 0 && length >= 16;
    }

    private Sockaddr.Key localKey() {
        MemorySegment sa = arena.allocate(LinuxSys.SOCKADDR_IN6_SIZE, 8);
        return new Sockaddr.Key().set(sa, Sockaddr.encode(local.socketAddress(), sa));
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    void wakeReceiver() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment one = a.allocate(LONG);
            one.set(LONG, 0, 1L);
            MemorySegment err = LinuxSys.newErrnoState(a);
            long ignored = (long) Calls.WRITE.invokeExact(err, wakeFd, one, 8L);
        } catch (Throwable t) {
            // the receive thread also checks the flag after every poll; the join bounds the wait
        }
    }

    @Override
    void closeSockets() {
        closeFd(fd);
        closeFd(broadcastFd);
        closeFd(wakeFd);
    }
}
