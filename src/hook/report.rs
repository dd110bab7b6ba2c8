//! What the author reads of a hook run: the findings the commit introduces, what the proposals
//! already carried, the diffs of what was restaged and one summary line, rendered in one piece
//! (stderr gets one write); and the warnings for what the plan or the apply step left.

use super::apply::{Refresh, WorkTreeLeft};
use super::plan::Note;
use crate::diff;
use crate::files;
use crate::paint::{Palette, printable};
use crate::proposal::check::Problem;
use std::fmt::Write as _;

/// The end-of-run text, built in order.
pub struct Report<'a> {
    palette: &'a Palette,
    text: String,
}

impl<'a> Report<'a> {
    pub fn new(palette: &'a Palette) -> Self {
        Report { palette, text: String::new() }
    }

    /// Each finding the commit introduces: an error under kep.strict, else a warning.
    pub fn findings(&mut self, findings: &[(String, Problem)], strict: bool) {
        let palette = self.palette;
        let label =
            if strict { palette.paint(palette.error, "error") } else { palette.paint(palette.warning, "warning") };
        for (path, problem) in findings {
            let _ = writeln!(
                self.text,
                "{}:{}:{}: {label}: {}: {}",
                printable(path),
                problem.line,
                problem.column,
                problem.rule.name(),
                printable(&problem.message)
            );
        }
    }

    /// What the commit leaves as it was: one line per proposal, how to see it.
    pub fn older(&mut self, older: &[(String, usize)]) {
        for (path, count) in older.iter().filter(|(_, count)| *count > 0) {
            let _ = writeln!(
                self.text,
                "{} {} has {count} older finding{} this commit did not introduce: see them with `git kep check {}`",
                self.palette.paint(self.palette.dim, "git-kep:"),
                printable(path),
                if *count == 1 { "" } else { "s" },
                crate::paint::shell_word(path)
            );
        }
    }

    pub fn refused_under_strict(&mut self) {
        let _ = writeln!(
            self.text,
            "{} commit refused (kep.strict): fix the problems above, stage the files, and commit again (nothing was changed)",
            self.palette.paint(self.palette.error, "git-kep:")
        );
    }

    /// The diff of each restaged proposal, the links that followed renamed headings, and what
    /// happened: refreshed, or (before a merge commit) refreshed and the merge stopped.
    pub fn restaged(&mut self, plan: &[Refresh], before_merge_commit: bool) {
        let palette = self.palette;
        for refresh in plan {
            self.text.push_str(&diff::unified(palette, &refresh.path, &refresh.old_staged, &refresh.new_staged));
        }
        let links: usize = plan.iter().map(|r| r.links_rewritten).sum();
        if links > 0 {
            let _ = writeln!(
                self.text,
                "{} pointed {links} link{} at renamed headings",
                palette.paint(palette.header, "git-kep:"),
                if links == 1 { "" } else { "s" }
            );
        }
        let tocs = plan.iter().filter(|r| r.toc_refreshed).count();
        let plural = if tocs == 1 { "" } else { "s" };
        let indexes: Vec<String> =
            plan.iter().filter(|r| r.index_refreshed).map(|r| printable(&r.path).into_owned()).collect();
        let mut what = Vec::new();
        if tocs > 0 {
            what.push(format!(
                "the table of contents of {tocs} {}proposal{plural}",
                if before_merge_commit { "" } else { "staged " }
            ));
        }
        if !indexes.is_empty() {
            what.push(format!("the proposal index in {}", indexes.join(", ")));
        }
        if what.is_empty() && !before_merge_commit {
            // Only links pointed elsewhere, said above.
            return;
        }
        if what.is_empty() {
            what.push("links to renamed headings in the staged proposals".to_owned());
        }
        let what = what.join(" and ");
        let _ = if before_merge_commit {
            writeln!(
                self.text,
                "{} the merge left {what} stale: refreshed and staged; run `git commit` to conclude the merge with them",
                palette.paint(palette.header, "git-kep:"),
            )
        } else {
            writeln!(self.text, "{} refreshed {what}", palette.paint(palette.header, "git-kep:"))
        };
    }

    /// After `git commit PATH...`: git sets the index from the work tree as it was before the
    /// hook, so the staged proposals lose the refreshed TOC the commit has.
    pub fn paths_note(&mut self, plan: &[Refresh]) {
        let paths: Vec<String> = plan.iter().map(|r| crate::paint::shell_word(&r.path).into_owned()).collect();
        let _ = writeln!(
            self.text,
            "{} `git commit PATH...` sets your index from the work tree as it was before this hook: \
             to stage the fresh {} the commit has, run `git add {}`",
            self.palette.paint(self.palette.dim, "git-kep:"),
            if plan.iter().all(|r| r.toc_refreshed && !r.index_refreshed) { "TOC" } else { "content" },
            paths.join(" ")
        );
    }

    pub fn text(&self) -> &str {
        &self.text
    }
}

/// A warning for what the plan left in one proposal.
pub fn note(path: &str, note: &Note) -> String {
    match note {
        Note::LinkLeft { line, anchor, why } => format!("{path}:{line}: a link to #{anchor}: {}", why.explain()),
        Note::WorkTreeLinkLeft { line, anchor, why } => {
            format!("{path}:{line}: in the work-tree copy, a link to #{anchor}: {}", why.explain())
        }
        Note::WorkTreeMarkers { line, problem } => {
            format!("{path}:{line}: the work-tree copy has unstaged marker problems ({problem}); left as it is")
        }
        Note::Unmatched { line, reason } => format!("{path}:{line}: {reason}; its TOC is left as staged"),
    }
}

/// A warning for a link from another file to a heading the commit renamed.
/// Markers malformed before this commit too: the proposal is committed as staged.
pub fn markers_left(path: &str, err: &crate::toc::MarkerError) -> String {
    format!(
        "{}:{}: {err} (so before this commit too): its TOC is left as staged; {}",
        printable(path),
        err.line(),
        err.hint()
    )
}

pub fn cross_link(file: &str, line: usize, old: &str, new: &str, target: &str) -> String {
    format!(
        "{file}:{line}: links to #{old}, renamed to #{new} in {target}; point it there with `git kep fix --since HEAD~1` after this commit"
    )
}

/// A warning for a staged file whose previous version cannot be read (a partial clone that
/// cannot fetch it): what the commit introduces there is unknown, never taken for all it holds.
pub fn base_unknown(path: &str, err: &crate::error::Error) -> String {
    err.as_warning(&format!(
        "; what this commit introduces in {path} is unknown, so its findings count as older \
         (fetch its history to compare: git fetch --refetch, or a clone without --filter)"
    ))
}

/// A warning for a work-tree file the apply step left.
pub fn work_tree_left(left: &WorkTreeLeft) -> String {
    let command = |path: &str| format!("git kep toc {}", crate::paint::shell_word(path));
    match left {
        WorkTreeLeft::Locked { path, why } => format!(
            "{path} is left as it was in the work tree ({why}): the commit gets the fresh TOC, \
             `{}` refreshes the file",
            command(path)
        ),
        WorkTreeLeft::SavedMeanwhile { path } => format!(
            "{path} was saved while the hook ran: left as you saved it (the commit gets the fresh TOC; \
             `{}` refreshes the file)",
            command(path)
        ),
        WorkTreeLeft::SavedTwice { path, kept } => format!(
            "{path} was saved twice while the hook ran: it holds the latest save, the earlier one is kept at {}",
            files::display_path(kept)
        ),
        // The error without its `error: `: this is a warning, the commit goes on.
        WorkTreeLeft::Failed { path, err } => err.as_warning(&format!(
            "; {path} is left as it was in the work tree: the commit gets the fresh TOC, \
             `{}` refreshes the file once it can be written",
            command(path)
        )),
    }
}
