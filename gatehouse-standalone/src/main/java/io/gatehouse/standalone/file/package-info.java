/**
 * The file source: loads every {@code *.yaml}/{@code *.yml} file under a directory into a
 * {@link io.gatehouse.translator.ResourceSnapshot}, fills in what the Kubernetes API server would
 * (namespaces, generation, timestamps, uids, Gateway addresses), and re-loads on change. Start at
 * {@link io.gatehouse.standalone.file.FileSource}; the loading steps are in
 * {@code DirectoryLoader}. See {@code docs/design/standalone-file-source.md}.
 */
package io.gatehouse.standalone.file;
