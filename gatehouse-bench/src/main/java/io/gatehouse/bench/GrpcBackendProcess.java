package io.gatehouse.bench;

import io.grpc.Server;
import java.util.concurrent.TimeUnit;

/**
 * The backend process of {@link GrpcBench}: a {@link GrpcEcho} server on {@code 127.0.0.1:port} (0
 * for any free port). Prints {@code ready PORT} once listening and {@code served UNARY STREAM}
 * (calls and stream messages answered so far) for every line read on stdin; exits when stdin closes
 * (or the parent dies).
 *
 * <p>
 * Usage: {@code java -cp gatehouse-bench.jar io.gatehouse.bench.GrpcBackendProcess [port]}.
 */
public final class GrpcBackendProcess {
  private GrpcBackendProcess() {
  }

  public static void main(String[] args) throws Exception {
    GrpcEcho echo = new GrpcEcho();
    Server server = echo.start(args.length > 0 ? Integer.parseInt(args[0]) : 0);
    try {
      System.out.println("ready " + server.getPort());
      System.out.flush();
      var in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
          java.nio.charset.StandardCharsets.UTF_8));
      while (in.readLine() != null) {
        System.out.println("served " + echo.unaryCalls.sum() + " " + echo.streamMessages.sum());
        System.out.flush();
      }
    } finally {
      server.shutdownNow();
      server.awaitTermination(10, TimeUnit.SECONDS);
    }
  }
}
