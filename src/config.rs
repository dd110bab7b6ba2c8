//! Settings: built-in defaults < `.kepconfig` < git config < flags. Every key is named once here.

use crate::cli::{AnchorsArg, StyleArg, TocFlags};
use crate::error::{Error, Result};
use crate::git::ConfigLayers;
use crate::proposal::detect::Numbering;
use crate::proposal::layout::{Layout, NameCase};
use crate::toc::{Anchors, DoctocOptions, MarkdownTocOptions, TocOptions, TocStyle};

pub const KEY_DIR: &str = "kep.dir";
/// Where proposals live: path patterns (`keps/{group}/{number}-{name}/README.md`), separated by
/// spaces; `kep.dir` is a shorthand for numbered folders under one directory.
pub const KEY_LAYOUT: &str = "kep.layout";
/// Digits a new proposal's number is padded to (`0042`: 4).
pub const KEY_NUMBER_WIDTH: &str = "kep.numberWidth";
/// How a new proposal's name is written from its title: `lower-kebab` or `as-typed`.
pub const KEY_NAME_CASE: &str = "kep.nameCase";
pub const DEFAULT_DIR: &str = "proposals";
pub const KEY_TOC_STYLE: &str = "kep.tocStyle";
pub const KEY_TOC_MAX_DEPTH: &str = "kep.tocMaxDepth";
/// Default deepest level: every heading in `markdown` style; 5 in `html` style, the depth
/// kubernetes/enhancements runs mdtoc with.
pub const DEFAULT_MAX_DEPTH_MARKDOWN: u8 = 6;
pub const DEFAULT_MAX_DEPTH_HTML: u8 = 5;
pub const KEY_TOC_SKIP_PREFIX: &str = "kep.tocSkipPrefix";
/// The html style's anchors: `mdtoc` (default, what mdtoc writes) or `github`.
pub const KEY_TOC_ANCHORS: &str = "kep.tocAnchors";
/// The doctoc style's options: the flags the repository's CI gives doctoc, verbatim
/// (`--update-only --notitle --entryprefix='-,*,+'`).
pub const KEY_DOCTOC_ARGS: &str = "kep.doctocArgs";
/// The markdown-toc style's options: the flags CI gives `markdown-toc -i`, verbatim.
pub const KEY_MARKDOWN_TOC_ARGS: &str = "kep.markdownTocArgs";
/// The mdtoc the html style equals: `v1.4.0` (default) or `b8c54a57` (the commit some repositories
/// pin in `go install sigs.k8s.io/mdtoc@b8c54a57...`).
pub const KEY_MDTOC_VERSION: &str = "kep.mdtocVersion";
pub const KEY_TEMPLATE: &str = "kep.template";
pub const KEY_BRANCH_PREFIX: &str = "kep.branchPrefix";
pub const DEFAULT_BRANCH_PREFIX: &str = "kep/";
pub const KEY_BASE: &str = "kep.base";
pub const KEY_CHECK_DISABLE: &str = "kep.checkDisable";
/// The groups proposals may belong to (`sig-node, wg-batch`), where they are not all folders.
pub const KEY_GROUPS: &str = "kep.groups";
/// The group `git kep new` puts a proposal in when `--sig` is not given.
pub const KEY_SIG: &str = "kep.sig";
/// The author `git kep new` writes into kep.yaml (`@handle`), instead of `user.name <email>`.
pub const KEY_AUTHOR: &str = "kep.author";
/// How `new` numbers proposals: `next` (one more than the highest), `issue` (the tracking
/// issue's or pull request's: `--number`), `date` (today, `YYYYMMDD`) or `none`.
pub const KEY_NUMBERING: &str = "kep.numbering";
pub const KEY_STRICT: &str = "kep.strict";
/// The row of the proposal index (`<!-- kep-index -->`): `{number:04}`, `{path}`, `{title}`,
/// any metadata field, `{a|b}` for the first set.
pub const KEY_INDEX_ROW: &str = "kep.indexRow";
/// The files holding a proposal index block that the hook keeps fresh (comma-separated,
/// work-tree relative); without it, the proposals directory's README.md and the root README.md.
pub const KEY_INDEX_FILES: &str = "kep.indexFiles";
/// The folder a link's leading `/` stands for (`/docs/x.md` where a site generator serves the
/// repository's `site-src/`): work-tree relative, `.` for the root. Without it such links are
/// not checked.
pub const KEY_SITE_ROOT: &str = "kep.siteRoot";
/// How `missing-section` reads the template: `loose` (every proposal, headings compared by
/// letters and digits) or `template-lint` (openshift's: new proposals, header lines exactly).
pub const KEY_SECTION_RULE: &str = "kep.sectionRule";

/// Rule `metadata-fields`: what a repository's own CI checks of front matter and header lines.
pub const KEY_REQUIRED_FIELDS: &str = "kep.requiredFields";
pub const KEY_STATUS_VALUES: &str = "kep.statusValues";
pub const KEY_DATE_FIELDS: &str = "kep.dateFields";
pub const KEY_PEOPLE_FIELDS: &str = "kep.peopleFields";
pub const KEY_TITLE_IS_NAME: &str = "kep.titleIsName";
pub const KEY_NUMBER_IN_TITLE: &str = "kep.numberInTitle";

/// Which metadata rules apply: `kubernetes` (what kubernetes/enhancements' CI and kepctl check
/// of kep.yaml) or `none`; `git kep init` sets `kubernetes` where the repository runs them.
pub const KEY_METADATA_RULES: &str = "kep.metadataRules";
pub const KEY_COLOR_UI: &str = "color.ui";

/// Everything configurable, resolved.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Proposals directory, relative to the work-tree root, without `.` parts or trailing `/`
    /// ("" for the whole work tree).
    pub dir: String,
    pub toc: TocOptions,
    pub template: Option<String>,
    pub branch_prefix: String,
    pub base: Option<String>,
    pub check_disable: Vec<String>,
    /// `kep.groups`: empty when not set.
    pub groups: Vec<String>,
    pub sig: Option<String>,
    pub author: Option<String>,
    /// `kep.numbering = issue`.
    pub numbered_by_issue: bool,
    /// `kep.numbering`.
    pub numbering: Numbering,
    /// Whether `kep.numbering` is set (detection does not override it).
    pub numbering_configured: bool,
    /// Where proposals live (`kep.layout`, or `kep.dir` as a shorthand).
    pub layout: Layout,
    /// Whether `kep.layout` or `kep.dir` is set; without either, commands use what `git kep
    /// init` would detect.
    pub layout_configured: bool,
    /// Whether kubernetes/enhancements' kep.yaml rules (`metadata`, `metadata-values`) apply.
    pub kubernetes_metadata: bool,
    /// `kep.indexRow`.
    pub index_row: String,
    /// `kep.indexFiles`: where the hook and `toc` look for index blocks besides the files they
    /// read anyway.
    pub index_files_configured: Vec<String>,
    /// `kep.siteRoot`, as a work-tree relative folder ("" for the root).
    pub site_root: Option<String>,
    /// `kep.sectionRule`.
    pub section_rule: crate::proposal::check::SectionRule,
    /// Rule `metadata-fields`'s configuration.
    pub metadata_rules: crate::proposal::metadata_rules::MetadataRules,
    /// Whether `kep.tocStyle` or `--style` chose the style.
    pub style_configured: bool,
    /// Whether the layout is `kep.dir`'s shorthand (set or by default), whose new folders pad
    /// numbers to 3 digits at least, as they always did.
    pub layout_shorthand: bool,
    pub strict: bool,
    /// git's `color.ui` (`None`: unset, treated as auto).
    pub color_ui: Option<String>,
}

impl Settings {
    /// The files that may hold a proposal index block: `kep.indexFiles`, or else the README.md
    /// of each folder proposals are under, and the work tree's.
    pub fn index_files(&self) -> Vec<String> {
        if !self.index_files_configured.is_empty() {
            return self.index_files_configured.clone();
        }
        let mut files: Vec<String> = self
            .layout
            .roots()
            .iter()
            .filter(|root| !root.is_empty())
            .map(|root| format!("{root}/README.md"))
            .collect();
        files.push("README.md".to_owned());
        files
    }

    /// Resolves every setting from the config layers and the TOC flags.
    pub fn load(layers: &ConfigLayers, flags: &TocFlags) -> Result<Settings> {
        let dir = match layers.get(KEY_DIR)? {
            None => DEFAULT_DIR.to_owned(),
            Some((value, source)) => proposals_dir(&value).ok_or_else(|| {
                invalid(
                    KEY_DIR,
                    &value,
                    &source,
                    "a directory inside the work tree, relative to its root (`.` for all of it)",
                )
            })?,
        };
        let styles = [
            ("markdown", TocStyle::Markdown),
            ("html", TocStyle::Html),
            ("doctoc", TocStyle::Doctoc),
            ("markdown-toc", TocStyle::MarkdownToc),
        ];
        let style = match flags.style {
            Some(StyleArg::Markdown) => TocStyle::Markdown,
            Some(StyleArg::Html) => TocStyle::Html,
            Some(StyleArg::Doctoc) => TocStyle::Doctoc,
            Some(StyleArg::MarkdownToc) => TocStyle::MarkdownToc,
            None => named(layers, KEY_TOC_STYLE, &styles)?.unwrap_or(TocStyle::Markdown),
        };
        // The html style at mdtoc's pinned commit, if the configuration says so.
        let versions = [("v1.4.0", false), ("1.4.0", false), ("b8c54a57", true)];
        let pinned = match layers.get(KEY_MDTOC_VERSION)? {
            None => false,
            Some((value, source)) => {
                // A full commit hash names the same commit.
                let short = if value.len() > 8 && value.starts_with("b8c54a57") { "b8c54a57" } else { value.trim() };
                match versions.iter().find(|(name, _)| short.eq_ignore_ascii_case(name)) {
                    Some((_, pinned)) => *pinned,
                    None => return Err(invalid(KEY_MDTOC_VERSION, &value, &source, "`v1.4.0` or `b8c54a57`")),
                }
            }
        };
        let style = if style == TocStyle::Html && pinned { TocStyle::HtmlB8c54a57 } else { style };
        let max_depth = match flags.max_depth {
            Some(depth) => depth,
            None => match layers.get(KEY_TOC_MAX_DEPTH)? {
                None if style.is_mdtoc() => DEFAULT_MAX_DEPTH_HTML,
                None => DEFAULT_MAX_DEPTH_MARKDOWN,
                Some((value, source)) => match value.trim().parse::<u8>() {
                    Ok(depth @ 1..=6) => depth,
                    _ => return Err(invalid(KEY_TOC_MAX_DEPTH, &value, &source, "a number from 1 to 6")),
                },
            },
        };
        let skip_prefix = if flags.skip_prefix {
            true
        } else if flags.no_skip_prefix {
            false
        } else {
            match layers.get(KEY_TOC_SKIP_PREFIX)? {
                // mdtoc lists only what follows the TOC; the template lists its title too.
                None => style.is_mdtoc(),
                Some((value, source)) => parse_bool(KEY_TOC_SKIP_PREFIX, &value, &source)?,
            }
        };
        let kinds = [("mdtoc", Anchors::Mdtoc), ("github", Anchors::Github)];
        let anchors = match flags.anchors {
            Some(AnchorsArg::Mdtoc) => Anchors::Mdtoc,
            Some(AnchorsArg::Github) => Anchors::Github,
            None => named(layers, KEY_TOC_ANCHORS, &kinds)?.unwrap_or(Anchors::Mdtoc),
        };
        let doctoc = match layers.get(KEY_DOCTOC_ARGS)? {
            None => DoctocOptions::default(),
            Some((value, source)) => DoctocOptions::from_args(&value).map_err(|err| {
                invalid(KEY_DOCTOC_ARGS, &value, &source, &format!("doctoc's command-line flags ({err})"))
            })?,
        };
        let markdown_toc = match layers.get(KEY_MARKDOWN_TOC_ARGS)? {
            None => MarkdownTocOptions::default(),
            Some((value, source)) => MarkdownTocOptions::from_args(&value).map_err(|err| {
                invalid(KEY_MARKDOWN_TOC_ARGS, &value, &source, &format!("markdown-toc's command-line flags ({err})"))
            })?,
        };
        let strict = match layers.get(KEY_STRICT)? {
            None => false,
            Some((value, source)) => parse_bool(KEY_STRICT, &value, &source)?,
        };
        let groups = list(layers, KEY_GROUPS)?;
        let check_disable = list(layers, KEY_CHECK_DISABLE)?;
        let numbering = named(
            layers,
            KEY_NUMBERING,
            &[
                ("next", Numbering::Next),
                ("issue", Numbering::Issue),
                ("date", Numbering::Date),
                ("none", Numbering::None),
            ],
        )?
        .unwrap_or(Numbering::Next);
        // `kep.dir` set by someone outranks a layout `git kep install` only detected.
        let layout_value = match layers.get(KEY_LAYOUT)? {
            Some((_, source)) if source == crate::git::DETECTED && layers.get(KEY_DIR)?.is_some() => None,
            other => other,
        };
        let (patterns, layout_configured) = match layout_value.clone() {
            Some((value, source)) => match Layout::parse(&value) {
                Ok(patterns) => (patterns, true),
                Err(err) => {
                    return Err(invalid(
                        KEY_LAYOUT,
                        &value,
                        &source,
                        &format!("path patterns such as `keps/{{group}}/{{number}}-{{name}}/README.md` ({err})"),
                    ));
                }
            },
            None => (Layout::from_dir(&dir), layers.get(KEY_DIR)?.is_some()),
        };
        let number_width = match layers.get(KEY_NUMBER_WIDTH)? {
            None => 0,
            Some((value, source)) => match value.trim().parse::<usize>() {
                Ok(width @ 0..=12) => width,
                _ => return Err(invalid(KEY_NUMBER_WIDTH, &value, &source, "a number from 0 to 12")),
            },
        };
        let cases = [
            ("lower-kebab", NameCase::LowerKebab),
            ("lower-snake", NameCase::LowerSnake),
            ("as-typed", NameCase::AsTyped),
        ];
        let name_case = named(layers, KEY_NAME_CASE, &cases)?.unwrap_or_default();
        let layout = Layout { patterns, number_width, name_case };
        // With patterns, the proposals directory is where all of them are.
        let dir = if layout_value.is_some() { common_root(&layout.roots()) } else { dir };
        Ok(Settings {
            dir,
            toc: TocOptions { style, max_depth, skip_prefix, anchors, doctoc, markdown_toc },
            template: layers.get(KEY_TEMPLATE)?.map(|(value, _)| value),
            branch_prefix: layers
                .get(KEY_BRANCH_PREFIX)?
                .map(|(value, _)| value)
                .unwrap_or_else(|| DEFAULT_BRANCH_PREFIX.to_owned()),
            base: layers.get(KEY_BASE)?.map(|(value, _)| value),
            check_disable,
            groups,
            sig: layers.get(KEY_SIG)?.map(|(value, _)| value),
            author: layers.get(KEY_AUTHOR)?.map(|(value, _)| value),
            numbered_by_issue: numbering == Numbering::Issue,
            numbering,
            numbering_configured: layers.get(KEY_NUMBERING)?.is_some(),
            layout,
            layout_configured,
            index_row: layers
                .get(KEY_INDEX_ROW)?
                .map_or_else(|| crate::proposal::index::DEFAULT_ROW.to_owned(), |(value, _)| value),
            index_files_configured: list(layers, KEY_INDEX_FILES)?,
            section_rule: named(
                layers,
                KEY_SECTION_RULE,
                &[
                    ("loose", crate::proposal::check::SectionRule::Loose),
                    ("template-lint", crate::proposal::check::SectionRule::TemplateLint),
                ],
            )?
            .unwrap_or_default(),
            site_root: match layers.get(KEY_SITE_ROOT)? {
                None => None,
                Some((value, source)) => Some(proposals_dir(&value).ok_or_else(|| {
                    invalid(KEY_SITE_ROOT, &value, &source, "a folder inside the work tree (`.` for its root)")
                })?),
            },
            metadata_rules: crate::proposal::metadata_rules::MetadataRules {
                required: list(layers, KEY_REQUIRED_FIELDS)?,
                statuses: list(layers, KEY_STATUS_VALUES)?,
                dates: list(layers, KEY_DATE_FIELDS)?,
                people: list(layers, KEY_PEOPLE_FIELDS)?,
                title_is_name: flag(layers, KEY_TITLE_IS_NAME)?,
                number_in_title: flag(layers, KEY_NUMBER_IN_TITLE)?,
            },
            kubernetes_metadata: named(layers, KEY_METADATA_RULES, &[("kubernetes", true), ("none", false)])?
                .unwrap_or(false),
            style_configured: flags.style.is_some() || layers.get(KEY_TOC_STYLE)?.is_some(),
            layout_shorthand: layout_value.is_none(),
            strict,
            color_ui: layers.get(KEY_COLOR_UI)?.map(|(value, _)| value),
        })
    }
}

/// git's boolean spellings.
/// A setting that takes one of `names` (compared case-insensitively); `None` where it is unset.
fn named<T: Copy>(layers: &ConfigLayers, key: &str, names: &[(&str, T)]) -> Result<Option<T>> {
    let Some((value, source)) = layers.get(key)? else { return Ok(None) };
    match names.iter().find(|(name, _)| value.eq_ignore_ascii_case(name)) {
        Some((_, chosen)) => Ok(Some(*chosen)),
        None => {
            let expected: Vec<String> = names.iter().map(|(name, _)| format!("`{name}`")).collect();
            Err(invalid(key, &value, &source, &expected.join(" or ")))
        }
    }
}

fn parse_bool(key: &str, value: &str, source: &str) -> Result<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" | "1" | "" => Ok(true),
        "false" | "no" | "off" | "0" => Ok(false),
        _ => Err(invalid(key, value, source, "true or false")),
    }
}

/// `kep.dir` as the index names paths: `keps`, `docs/keps`, or "" for the whole work tree
/// (`.`, `./keps/`, `keps//x` are written the same way). `None` for a directory that is not
/// inside the work tree (absolute, or with `..`).
fn proposals_dir(value: &str) -> Option<String> {
    if value.starts_with('/') || std::path::Path::new(value).is_absolute() {
        return None;
    }
    let mut parts = Vec::new();
    for part in value.split('/').filter(|part| !part.is_empty() && *part != ".") {
        if part == ".." {
            return None;
        }
        parts.push(part);
    }
    Some(parts.join("/"))
}

fn invalid(key: &str, value: &str, source: &str, expected: &str) -> Error {
    let fix = if source == crate::git::COMMAND_LINE {
        format!("fix the value given with `git -c {key}=<value>`")
    } else {
        format!("fix it with `git config {key} <value>` or in .kepconfig")
    };
    Error::new(format!("invalid value {value:?} for {key} (from {source}): expected {expected}")).hint(fix)
}

/// A comma-separated setting (`title, authors`), empty where unset.
fn list(layers: &ConfigLayers, key: &str) -> Result<Vec<String>> {
    Ok(layers
        .get(key)?
        .map(|(value, _)| value.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect())
        .unwrap_or_default())
}

/// A boolean setting, `false` where unset.
fn flag(layers: &ConfigLayers, key: &str) -> Result<bool> {
    match layers.get(key)? {
        None => Ok(false),
        Some((value, source)) => parse_bool(key, &value, &source),
    }
}

/// Every `kep.*` setting git-kep reads.
pub const KNOWN_KEYS: &[&str] = &[
    KEY_DIR,
    KEY_LAYOUT,
    KEY_NUMBER_WIDTH,
    KEY_NAME_CASE,
    KEY_TOC_STYLE,
    KEY_TOC_MAX_DEPTH,
    KEY_TOC_SKIP_PREFIX,
    KEY_TOC_ANCHORS,
    KEY_INDEX_ROW,
    KEY_INDEX_FILES,
    KEY_SITE_ROOT,
    KEY_SECTION_RULE,
    KEY_MDTOC_VERSION,
    KEY_MARKDOWN_TOC_ARGS,
    KEY_DOCTOC_ARGS,
    KEY_TEMPLATE,
    KEY_BRANCH_PREFIX,
    KEY_BASE,
    KEY_CHECK_DISABLE,
    KEY_GROUPS,
    KEY_SIG,
    KEY_AUTHOR,
    KEY_NUMBERING,
    KEY_STRICT,
    KEY_REQUIRED_FIELDS,
    KEY_STATUS_VALUES,
    KEY_DATE_FIELDS,
    KEY_PEOPLE_FIELDS,
    KEY_TITLE_IS_NAME,
    KEY_NUMBER_IN_TITLE,
    KEY_METADATA_RULES,
];

/// The `kep.*` keys set that git-kep does not know, each with the closest one it does (a typo
/// such as `tocStlye` would otherwise be ignored without a word).
pub fn unknown_keys(layers: &ConfigLayers) -> Vec<(String, String, Option<&'static str>)> {
    let mut unknown = Vec::new();
    for (key, source) in layers.kep_keys() {
        let lower = key.to_ascii_lowercase();
        // What `git kep install` saved of the detected layout: known keys under kep.detected.
        let name = lower.strip_prefix("kep.detected.").map_or(lower.clone(), |rest| format!("kep.{rest}"));
        if KNOWN_KEYS.iter().any(|known| known.eq_ignore_ascii_case(&name)) {
            continue;
        }
        let closest = KNOWN_KEYS
            .iter()
            .map(|known| (crate::proposal::check::edit_distance(&name, &known.to_ascii_lowercase()), *known))
            .filter(|(distance, _)| *distance <= 3)
            .min()
            .map(|(_, known)| known);
        if !unknown.iter().any(|(k, _, _): &(String, String, Option<&str>)| *k == key) {
            unknown.push((key, source, closest));
        }
    }
    unknown
}

/// The deepest folder every root is inside ("" for the whole work tree).
pub fn common_root(roots: &[String]) -> String {
    let Some(first) = roots.first() else { return String::new() };
    let mut common: Vec<&str> = first.split('/').filter(|s| !s.is_empty()).collect();
    for root in &roots[1..] {
        let pieces: Vec<&str> = root.split('/').filter(|s| !s.is_empty()).collect();
        let shared = common.iter().zip(&pieces).take_while(|(a, b)| a == b).count();
        common.truncate(shared);
    }
    common.join("/")
}

impl Settings {
    /// Takes what `git kep init` detected where nothing is configured: the layout, numbering,
    /// template and TOC style (the style only where no setting or flag chose one).
    pub fn use_detected(&mut self, detected: &crate::proposal::detect::Detected) {
        let patterns: Vec<_> =
            detected.patterns.iter().filter_map(|p| crate::proposal::layout::Pattern::parse(p).ok()).collect();
        if patterns.is_empty() {
            return;
        }
        self.layout = Layout { patterns, number_width: detected.number_width, name_case: detected.name_case };
        self.layout_shorthand = false;
        self.dir = common_root(&self.layout.roots());
        // A numbering set by someone outranks the one detected.
        if !self.numbering_configured {
            self.numbering = detected.numbering;
            self.numbered_by_issue = detected.numbering == Numbering::Issue;
        }
        if self.template.is_none() {
            self.template = detected.template.clone();
        }
        if detected.kubernetes_metadata {
            self.kubernetes_metadata = true;
        }
        if self.metadata_rules.is_empty() {
            self.metadata_rules = detected.metadata_rules.clone();
        }
        if !self.style_configured
            && let Some(tool) = detected.toc.as_ref()
        {
            let args = tool.args.as_ref().map_or("", |(_, value)| value.as_str());
            match tool.style {
                "html" => {
                    self.toc = TocOptions::mdtoc(tool.max_depth.unwrap_or(DEFAULT_MAX_DEPTH_HTML));
                    if tool.args.as_ref().is_some_and(|(key, _)| *key == KEY_MDTOC_VERSION) {
                        self.toc.style = TocStyle::HtmlB8c54a57;
                    }
                }
                // Flags `init` cannot read are left to the configuration (and said by `init`).
                "doctoc" => self.toc = TocOptions::doctoc(DoctocOptions::from_args(args).unwrap_or_default()),
                "markdown-toc" => {
                    self.toc = TocOptions::markdown_toc(MarkdownTocOptions::from_args(args).unwrap_or_default())
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::proposals_dir;

    #[test]
    fn proposals_dir_is_written_as_the_index_names_paths() {
        for (value, want) in [
            ("keps", Some("keps")),
            ("keps/", Some("keps")),
            ("./keps", Some("keps")),
            ("docs//keps/./", Some("docs/keps")),
            (".", Some("")),
            ("./", Some("")),
            ("", Some("")),
            ("/abs/keps", None),
            ("../elsewhere", None),
            ("keps/../..", None),
        ] {
            assert_eq!(proposals_dir(value).as_deref(), want, "{value:?}");
        }
    }
}

#[cfg(test)]
mod known_keys {
    /// Every `kep.*` key this file names is among the known ones (else a typo warning would
    /// call a real setting unknown).
    #[test]
    fn every_key_is_known() {
        let source = include_str!("config.rs");
        for line in source.lines().filter(|l| l.starts_with("pub const KEY_")) {
            let Some(value) = line.split('"').nth(1).filter(|v| v.starts_with("kep.")) else { continue };
            assert!(super::KNOWN_KEYS.contains(&value), "{value} is missing from KNOWN_KEYS");
        }
    }
}
