/// The doctoc command lines of the field: cluster-api's (no flags), OpenTelemetry's, and the
/// other options doctoc has that repositories use. Shared by tests/doctoc_oracle.rs and the
/// `doctoc` fuzz target (`include!`).
const OPTION_SETS: &[&str] = &[
    "",
    "--update-only --mintocitems 1 --toc-pragma-style compact --notitle --entryprefix='-,*,+'",
    "--maxlevel 3",
    "--minlevel 2 --all",
    "--title '**Contents**' --toc-pragma-style compact",
    "--mintocitems 3 --entryprefix '*,+'",
    "--notitle --all --maxlevel 2",
];
