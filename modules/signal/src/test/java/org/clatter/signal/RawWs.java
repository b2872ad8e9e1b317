package org.clatter.signal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.clatter.signal.codec.RpcMessage;
import org.clatter.signal.ws.Ws;
import org.clatter.signal.ws.WsFrameReader;

/** A bare WebSocket client on a socket, for sending exactly the bytes a test wants. */
final class RawWs implements AutoCloseable {
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    final WsFrameReader reader;
    final String status;

    RawWs(InetSocketAddress address, String path) throws IOException {
        socket = new Socket(address.getAddress(), address.getPort());
        socket.setSoTimeout(5000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        status = head.toString();
        reader = new WsFrameReader(in, 1 << 20, false);
    }

    boolean upgraded() {
        return status.startsWith("HTTP/1.1 101") && status.contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    void sendFrame(int opcode, byte[] payload) throws IOException {
        out.write(Ws.frame(opcode, payload, 0, payload.length, new byte[] {0x11, 0x22, 0x33, 0x44}));
        out.flush();
    }

    void sendRpc(RpcMessage m) throws IOException {
        sendFrame(Ws.BINARY, RpcMessage.encode(m));
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    WsFrameReader.Message read() throws IOException {
        return reader.read();
    }

    RpcMessage.Response readResponse() throws IOException {
        while (true) {
            WsFrameReader.Message m = read();
            if (m.opcode() == Ws.BINARY) {
                return (RpcMessage.Response) RpcMessage.decode(m.data());
            }
            if (m.opcode() == Ws.CLOSE) {
                throw new IOException("closed with " + m.closeCode());
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
