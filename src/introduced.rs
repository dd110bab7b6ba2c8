//! What a change introduced: of a document's findings, those its previous version did not
//! have. Pure: two lists of findings in, the new ones out. Findings are matched by rule and
//! subject (the link's fragment, the section, the heading), never by line, so an edit that moves
//! lines does not make old findings look new; a subject found twice now and once before counts
//! once as introduced.

use crate::check::{Problem, Rule};
use std::collections::HashMap;

/// A document's findings, split by whether the change brought them.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Introduced {
    /// Not in the previous version (all of them for a new document).
    pub new: Vec<Problem>,
    /// Already in the previous version, and still there.
    pub older: usize,
}

/// The findings of `after` that `before` (the previous version's, `None` for a new document)
/// does not have.
pub fn introduced(before: Option<&[Problem]>, after: Vec<Problem>) -> Introduced {
    let Some(before) = before else { return Introduced { new: after, older: 0 } };
    let mut remaining: HashMap<(Rule, String), usize> = HashMap::new();
    for problem in before {
        *remaining.entry((problem.rule, problem.subject.clone())).or_default() += 1;
    }
    let mut split = Introduced::default();
    for problem in after {
        let older = match remaining.get_mut(&(problem.rule, problem.subject.clone())) {
            Some(count) if *count > 0 => {
                *count -= 1;
                true
            }
            _ => false,
        };
        if older {
            split.older += 1;
        } else {
            split.new.push(problem);
        }
    }
    split
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{CheckInput, LinkedFile, check_document};
    use crate::toc::TocOptions;

    fn problems(text: &str) -> Vec<Problem> {
        let options = TocOptions::default();
        let mut files = |_: &str| LinkedFile::Unchecked;
        let required = crate::check::required_sections("# T\n## Summary\n## Design\n");
        let input = CheckInput { options: &options, required: Some(&required), linked_file: &mut files };
        check_document(text, input).problems
    }

    #[test]
    fn old_findings_are_old_wherever_their_lines_went() {
        let before = "# A\n\n[x](#gone)\n\n## Summary\n";
        // Lines moved, a word changed: the broken link and the missing section are the same.
        let after = "# A\n\nNew paragraph.\n\nMore.\n\n[x](#gone)\n\n## Summary\n\nText.\n";
        let split = introduced(Some(&problems(before)), problems(after));
        assert_eq!(split.new, Vec::new());
        assert_eq!(split.older, 2, "#gone and the missing Design section");
    }

    #[test]
    fn a_new_broken_link_or_a_removed_section_is_introduced() {
        let before = "# A\n\n## Summary\n\n## Design\n";
        let after = "# A\n\n[x](#gone) [y](#gone)\n\n## Summary\n";
        let split = introduced(Some(&problems(before)), problems(after));
        let rules: Vec<(Rule, &str)> = split.new.iter().map(|p| (p.rule, p.subject.as_str())).collect();
        assert_eq!(
            rules,
            [(Rule::MissingSection, "design"), (Rule::BrokenAnchor, "#gone"), (Rule::BrokenAnchor, "#gone")]
        );
        // A second link to the same missing anchor is new even where one was there before.
        let split = introduced(Some(&problems("# A\n[x](#gone)\n## Summary\n## Design\n")), problems(after));
        assert_eq!(split.new.iter().filter(|p| p.rule == Rule::BrokenAnchor).count(), 1);
        assert_eq!(split.older, 1);
    }

    #[test]
    fn a_new_document_brings_all_its_findings() {
        let split = introduced(None, problems("# A\n[x](#gone)\n"));
        assert_eq!(split.new.len(), 3);
        assert_eq!(split.older, 0);
    }
}
