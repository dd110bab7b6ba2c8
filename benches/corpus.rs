//! `cargo bench`: the TOC engine over the k8s corpus (../shared) on all cores, next to the floor
//! of reading the same files; and time against input size on generated documents (linearity).

use git_kep::cmd::for_each_parallel;
use git_kep::toc::{self, TocOptions};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const RUNS: usize = 21;

/// The i-th piece of a generated document.
type Piece = fn(usize) -> String;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time(runs: usize, mut f: impl FnMut()) -> Duration {
    median((0..runs).map(|_| time_once(&mut f)).collect())
}

fn time_once(f: &mut impl FnMut()) -> Duration {
    // Start every run the way a fresh `git kep` process does: with no freed memory kept warm by
    // the allocator. Otherwise a 1 MB run reuses the pages of the run before while 10 MB
    // allocations (above glibc's mmap threshold) come back from the kernel zeroed each time, and
    // the ratio measures the allocator, not the engine.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory to the kernel.
    unsafe {
        libc::malloc_trim(0);
    }
    let start = Instant::now();
    f();
    start.elapsed()
}

/// Medians of `small` and `large` run in turn, so that a slow spell of the machine falls on
/// both and not on one side of the ratio.
fn time_pair(runs: usize, mut small: impl FnMut(), mut large: impl FnMut()) -> (Duration, Duration) {
    let (small, large): (Vec<_>, Vec<_>) = (0..runs).map(|_| (time_once(&mut small), time_once(&mut large))).unzip();
    (median(small), median(large))
}

fn main() {
    let html = TocOptions::mdtoc(5);
    let archive = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/k8s-enhancements/keps-toc.tar.gz");
    if archive.exists() {
        let dir = tempfile::tempdir().unwrap();
        let ok = std::process::Command::new("tar").arg("-xzf").arg(&archive).arg("-C").arg(dir.path()).status();
        assert!(ok.is_ok_and(|s| s.success()), "cannot unpack {}", archive.display());
        let paths: Vec<PathBuf> = std::fs::read_to_string(archive.with_file_name("paths.txt"))
            .unwrap()
            .lines()
            .map(|rel| dir.path().join(rel))
            .collect();
        let bytes: u64 = paths.iter().map(|p| std::fs::metadata(p).unwrap().len()).sum();
        let floor = time(RUNS, || {
            let read = for_each_parallel(&paths, |p| std::fs::read(p).unwrap().len());
            assert_eq!(read.len(), paths.len());
        });
        let check = time(RUNS, || {
            let stale = for_each_parallel(&paths, |p| {
                let text = std::fs::read_to_string(p).unwrap();
                matches!(toc::regenerate(&text, &html), Ok(toc::Outcome::Stale(_)))
            });
            assert_eq!(stale.iter().filter(|s| **s).count(), 3);
        });
        let mb = bytes as f64 / 1e6;
        for (name, took) in [("read only (floor)", floor), ("read + check TOCs", check)] {
            println!(
                "corpus {name:<20} {:>7.1} ms  {:>8.0} files/s  {:>6.0} MB/s  ({} files, {mb:.1} MB, {} threads, median of {RUNS})",
                took.as_secs_f64() * 1e3,
                paths.len() as f64 / took.as_secs_f64(),
                mb / took.as_secs_f64(),
                paths.len(),
                std::thread::available_parallelism().map_or(1, |n| n.get()),
            );
        }
    } else {
        println!("corpus: skipped ({} is not here)", archive.display());
    }

    // Linearity: 1 MB vs 10 MB documents of three shapes.
    let shapes: [(&str, Piece); 3] = [
        ("KEP-like sections", |i| format!("## Section {i}\n\nSome `code` and *text* with a [link](#section-{i}).\n\n")),
        ("headings only", |i| format!("### Same heading\n#### Heading {i}\n")),
        ("deeply nested list", |i| format!("{}- item {i}\n", "  ".repeat(i % 200))),
    ];
    for (name, piece) in shapes {
        let make = |size: usize| {
            let mut doc = String::from("# Title\n<!-- toc -->\n<!-- /toc -->\n");
            let mut i = 0;
            while doc.len() < size {
                doc.push_str(&piece(i));
                i += 1;
            }
            doc
        };
        let (small, large) = (make(1_000_000), make(10_000_000));
        let options = TocOptions::default();
        let (t_small, t_large) =
            time_pair(7, || drop(toc::regenerate(&small, &options)), || drop(toc::regenerate(&large, &options)));
        // The parser alone, for reference: how much of the ratio is pulldown-cmark's own.
        let parse = |doc: &str| {
            let parser = pulldown_cmark::Parser::new_ext(doc, git_kep::toc::headings::parser_options());
            std::hint::black_box(parser.into_offset_iter().count());
        };
        let (p_small, p_large) = time_pair(7, || parse(&small), || parse(&large));
        println!(
            "linearity {name:<20} in process   1 MB {:>6.1} ms   10 MB {:>6.1} ms   ratio {:>4.1} (the parser alone: {:.1})",
            t_small.as_secs_f64() * 1e3,
            t_large.as_secs_f64() * 1e3,
            t_large.as_secs_f64() / t_small.as_secs_f64(),
            p_large.as_secs_f64() / p_small.as_secs_f64(),
        );
        // What a user waits for: one `git kep toc --stdout FILE` process per run.
        let dir = tempfile::tempdir().unwrap();
        let (small_file, large_file) = (dir.path().join("1mb.md"), dir.path().join("10mb.md"));
        std::fs::write(&small_file, &small).unwrap();
        std::fs::write(&large_file, &large).unwrap();
        let run = |file: &Path| {
            let status = std::process::Command::new(env!("CARGO_BIN_EXE_git-kep"))
                .args(["toc", "--stdout"])
                .arg(file)
                .stdout(std::process::Stdio::null())
                .status()
                .unwrap();
            assert!(status.success());
        };
        let (c_small, c_large) = time_pair(11, || run(&small_file), || run(&large_file));
        println!(
            "linearity {name:<20} one process  1 MB {:>6.1} ms   10 MB {:>6.1} ms   ratio {:>4.1} (linear: 10)",
            c_small.as_secs_f64() * 1e3,
            c_large.as_secs_f64() * 1e3,
            c_large.as_secs_f64() / c_small.as_secs_f64(),
        );
    }
}
