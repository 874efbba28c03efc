package org.fusionmpc.samples.cli;

import com.sun.net.httpserver.HttpExchange;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;
import org.fusionmpc.api.session.MemoryBudget;
import org.fusionmpc.api.session.SessionServer;

/**
 * What an operator's load balancer and monitoring read from a running server, on a plain HTTP port of its own:
 * {@code /healthz} (liveness: the accepting thread runs), {@code /readyz} (readiness: accepting and not draining;
 * 503 from the moment a drain starts, so the balancer stops sending clients) and {@code /metrics} (Prometheus text
 * format: sessions served, failed, refused, connections dropped, sessions and handshakes in progress, bytes each way,
 * session time, the memory budget).
 */
final class OperatorEndpoint implements AutoCloseable {

    private final HTTPServer http;
    private final Counter bytesSent;
    private final Counter bytesReceived;
    private final Histogram seconds;
    private volatile boolean draining;

    private OperatorEndpoint(String bind, int port, SessionServer server, MemoryBudget budget) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        counter(registry, "fusion_sessions_served", "Sessions that completed without error.", server::served);
        counter(registry, "fusion_sessions_failed", "Connections that ended in an error, in the handshake or in the session.", server::failed);
        counter(registry, "fusion_sessions_refused", "Clients refused because every session slot was busy.", server::refused);
        counter(registry, "fusion_connections_dropped", "Connections closed at once because too many were in the handshake phase.",
                server::dropped);
        gauge(registry, "fusion_sessions_active", "Sessions running now.", server::active);
        gauge(registry, "fusion_handshakes_active", "Connections in the handshake phase now.", server::handshaking);
        gauge(registry, "fusion_memory_reserved_bytes", "Heap reserved by the running sessions' estimates.", budget::reserved);
        gauge(registry, "fusion_memory_budget_bytes", "The memory budget sessions are admitted against.", budget::capacity);
        bytesSent = Counter.builder().name("fusion_session_sent_bytes").help("Bytes the server sent in completed sessions.").register(registry);
        bytesReceived = Counter.builder().name("fusion_session_received_bytes").help("Bytes the server received in completed sessions.")
                .register(registry);
        seconds = Histogram.builder().name("fusion_session_seconds").help("Wall time of completed sessions.").register(registry);
        http = HTTPServer.builder().hostname(bind).port(port).registry(registry).defaultHandler(exchange -> {
            String path = exchange.getRequestURI().getPath();
            switch (path) {
                case "/healthz" -> reply(exchange, server.isRunning() ? 200 : 503, server.isRunning() ? "alive\n" : "not accepting\n");
                case "/readyz" -> {
                    boolean ready = server.isRunning() && !draining;
                    reply(exchange, ready ? 200 : 503, ready ? "ready\n" : draining ? "draining\n" : "not accepting\n");
                }
                default -> reply(exchange, 404, "paths: /healthz /readyz /metrics\n");
            }
        }).buildAndStart();
    }

    static OperatorEndpoint start(String bind, int port, SessionServer server, MemoryBudget budget) throws IOException {
        return new OperatorEndpoint(bind, port, server, budget);
    }

    private static void counter(PrometheusRegistry r, String name, String help, LongSupplier value) {
        CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsLong())).register(r);
    }

    private static void gauge(PrometheusRegistry r, String name, String help, LongSupplier value) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsLong())).register(r);
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, b.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(b);
        }
    }

    /** Counts one completed session. */
    void recordSession(long sent, long received, double wallSeconds) {
        bytesSent.inc(sent);
        bytesReceived.inc(received);
        seconds.observe(wallSeconds);
    }

    /** From now on /readyz answers 503. */
    void startDraining() {
        draining = true;
    }

    int port() {
        return http.getPort();
    }

    @Override
    public void close() {
        http.close();
    }
}
