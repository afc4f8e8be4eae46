package io.gatehouse.app;

import io.gatehouse.testing.EchoOptions;
import io.gatehouse.testing.EchoServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs one echo backend (the Gateway API conformance echo server) until interrupted. */
@Command(name = "echo", mixinStandardHelpOptions = true, header = "Run an echo backend (the conformance suite's echo server).", description = "Run an echo backend: answers every request with JSON describing it (path, host, method, headers, pod, namespace), as the Gateway API conformance suite's echo-basic does. Speaks HTTP/1.1 and h2c. Try: curl -s http://127.0.0.1:3000/hello")
final class EchoCommand implements Runnable {
  @Option(names = "--address", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String address;

  @Option(names = "--port", defaultValue = "3000", description = "Port to bind, 0 for any (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--pod", defaultValue = "echo", description = "Pod name reported in the JSON (default: ${DEFAULT-VALUE}).")
  String pod;

  @Option(names = "--namespace", defaultValue = "default", description = "Namespace reported in the JSON (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = "--h2c-only", description = "Refuse HTTP/1.1 requests that do not upgrade to h2c (like the suite's port 3001).")
  boolean h2cOnly;

  @Override
  public void run() {
    EchoOptions options = new EchoOptions(address, port, pod, namespace, h2cOnly);
    EchoServer server = EchoServer.start(options);
    System.out.println("echo backend listening on " + server.address());
    Shutdown.closeOnExit(server).await();
  }
}
