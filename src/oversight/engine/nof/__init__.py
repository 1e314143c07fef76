"""NOF scoring: metric scores, domains, average, segments, override, ranks, likely ranges."""
