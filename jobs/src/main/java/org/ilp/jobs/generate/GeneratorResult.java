package org.ilp.jobs.generate;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a {@link DatasetGenerator} run wrote.
 *
 * @param rowsWritten     data records (header lines excluded; a record with an embedded newline counts
 *                        once) in all {@code files}; equals the sum of {@code rowsPerSource}
 * @param rowsPerSource   records per source folder, in this order: police_uk_street,
 *                        police_uk_street_republished, police_uk_stop_search, chicago_crimes, chicago_crimes_api
 * @param files           every data file written, in write order (files under {@code bad_files/} and the
 *                        ground-truth files are not included)
 * @param groundTruthFile {@code out/ground_truth.json} ({@code out/GROUND_TRUTH.md} sits beside it)
 */
public record GeneratorResult(long rowsWritten, Map<String, Long> rowsPerSource, List<Path> files,
                              Path groundTruthFile) {}
