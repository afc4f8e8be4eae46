package io.gatehouse.app;

import io.gatehouse.standalone.file.FileError;
import io.gatehouse.standalone.file.FileSource;
import io.gatehouse.standalone.file.SourceSnapshot;
import io.gatehouse.translator.ResultFormat;
import io.gatehouse.translator.TranslationResult;
import io.gatehouse.translator.Translator;
import io.gatehouse.translator.TranslatorOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Translates files offline and prints the model and statuses: what to attach to a bug report. */
@Command(name = "translate", mixinStandardHelpOptions = true, header = "Translate YAML offline; print the model and statuses.", description = "Translate Kubernetes YAML offline and print, as YAML, the proxy configuration (the model) and the status every object would get. Nothing is served. Exit code 1 when a file could not be loaded (the errors go to stderr with file and line).")
final class TranslateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = {"-f",
      "--file"}, required = true, description = "A YAML file or a directory of them.")
  Path input;

  @Option(names = "--controller-name", defaultValue = TranslatorOptions.DEFAULT_CONTROLLER_NAME, description = "spec.controllerName to translate for (default: ${DEFAULT-VALUE}).")
  String controllerName;

  @Override
  public Integer call() {
    if (!Files.exists(input)) {
      throw new ParameterException(spec.commandLine(), "-f: no such file or directory: " + input);
    }
    SourceSnapshot snapshot = FileSource.loadOnce(input);
    for (FileError e : snapshot.errors()) {
      System.err.printf("error: %s:%d:%d: %s%n", e.path(), e.line(), e.column(), e.message());
    }
    for (FileError w : snapshot.warnings()) {
      System.err.printf("warning: %s:%d:%d: %s%n", w.path(), w.line(), w.column(), w.message());
    }
    TranslationResult result = new Translator(new TranslatorOptions(controllerName))
        .translate(snapshot.resources());
    System.out.print(ResultFormat.toYaml(result));
    return snapshot.errors().isEmpty() ? 0 : 1;
  }
}
