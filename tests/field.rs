//! The field: ten real proposal repositories of `../shared/corpus/field/` and kubernetes/
//! enhancements, each unpacked into a real git repository, set up with `git kep init`, then
//! listed, extended with `git kep new` and checked, as their maintainers would. Each
//! repository's truth rule is written here from its own conventions. Skips cleanly when
//! `../shared` is absent.

use crate::harness::{BIN, stderr, stdout};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A field repository unpacked and committed: its root and every file in it.
struct Field {
    _dir: tempfile::TempDir,
    root: PathBuf,
    files: Vec<String>,
}

fn field(name: &str) -> Option<Field> {
    let archive = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/field").join(format!("{name}.tar.gz"));
    unpack(&archive)
}

fn k8s() -> Option<Field> {
    let archive = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/k8s-enhancements/keps-toc.tar.gz");
    unpack(&archive)
}

fn unpack(archive: &Path) -> Option<Field> {
    let (dir, root) = crate::oracle::unpack(archive)?;
    let field = Field { files: walk(&root), _dir: dir, root };
    field.git(&["init", "-q", "-b", "main"]);
    field.git(&["config", "user.name", "Ada Author"]);
    field.git(&["config", "user.email", "ada@example.com"]);
    field.git(&["add", "-A"]);
    field.git(&["-c", "user.name=A", "-c", "user.email=a@example.com", "commit", "-q", "--no-verify", "-m", "corpus"]);
    Some(field)
}

fn walk(root: &Path) -> Vec<String> {
    let mut files = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                pending.push(path);
            } else {
                files.push(path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    files.sort();
    files
}

impl Field {
    fn command(&self, program: &str, args: &[&str]) -> Output {
        let bin_dir = Path::new(BIN).parent().unwrap();
        let path = std::env::join_paths(
            std::iter::once(bin_dir.to_path_buf())
                .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
        )
        .unwrap();
        Command::new(program)
            .args(args)
            .current_dir(&self.root)
            .env("PATH", path)
            .env("HOME", self.root.parent().unwrap())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Ada Author")
            .env("GIT_AUTHOR_EMAIL", "ada@example.com")
            .env("GIT_COMMITTER_NAME", "Ada Author")
            .env("GIT_COMMITTER_EMAIL", "ada@example.com")
            .env_remove("GIT_DIR")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("GIT_WORK_TREE")
            .output()
            .unwrap()
    }

    fn git(&self, args: &[&str]) -> Output {
        let output = self.command("git", args);
        assert!(output.status.success(), "git {args:?}: {}", stderr(&output));
        output
    }

    fn kep(&self, args: &[&str]) -> Output {
        let output = self.command(BIN, args);
        assert_ne!(output.status.code(), Some(101), "git kep {args:?} panicked: {}", stderr(&output));
        output
    }

    fn kepconfig(&self) -> String {
        std::fs::read_to_string(self.root.join(".kepconfig")).unwrap()
    }

    /// `git kep list --format json`'s paths.
    fn listed(&self) -> BTreeSet<String> {
        let output = self.kep(&["list", "--format", "json"]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        json.as_array().unwrap().iter().map(|e| e["path"].as_str().unwrap().to_owned()).collect()
    }

    /// The files the repository's own conventions call proposals.
    fn truth(&self, rule: impl Fn(&[&str]) -> bool) -> BTreeSet<String> {
        self.files.iter().filter(|f| rule(&f.split('/').collect::<Vec<_>>())).cloned().collect()
    }

    /// Runs `init`, and the commands over proposals must then work: `check` and `toc --check`
    /// finish (findings are the corpus's), `list` lists exactly `truth`.
    fn init_and_list(&self, truth: &BTreeSet<String>) {
        let init = self.kep(&["init"]);
        assert_eq!(init.status.code(), Some(0), "{}", stderr(&init));
        assert!(!truth.is_empty());
        let listed = self.listed();
        let missing: Vec<_> = truth.difference(&listed).collect();
        let extra: Vec<_> = listed.difference(truth).collect();
        assert!(missing.is_empty() && extra.is_empty(), "not listed: {missing:?}\nlisted, not proposals: {extra:?}");
        for args in [&["check"][..], &["toc", "--check"]] {
            let output = self.kep(args);
            assert!(matches!(output.status.code(), Some(0..=2)), "{args:?}: {}", stderr(&output));
        }
    }

    /// `git kep new` (after `init`): the staged files.
    fn new_proposal(&self, args: &[&str]) -> Vec<String> {
        let mut all = vec!["new", "Pod Overhead"];
        all.extend(args);
        let output = self.kep(&all);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {}", stderr(&output));
        let staged = stdout(&self.git(&["diff", "--cached", "--name-only"]));
        staged.lines().map(str::to_owned).collect()
    }

    fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.root.join(path)).unwrap()
    }
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// `NNNN-name` with `NNNN` all digits and a name.
fn numbered(s: &str) -> bool {
    s.split_once('-').is_some_and(|(n, name)| digits(n) && !name.is_empty())
}

/// `check-vep-naming.py`'s rule: `^[0-9]+-[a-z0-9]+(-[a-z0-9]+)*$`.
fn kebab_numbered(s: &str) -> bool {
    s.split_once('-').is_some_and(|(n, name)| {
        digits(n)
            && name.split('-').all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
    })
}

#[test]
fn kueue_folders_numbered_by_issue_with_mdtoc() {
    let Some(repo) = field("kueue") else { return };
    let truth = repo.truth(|p| p.len() == 3 && p[0] == "keps" && numbered(p[1]) && p[2] == "README.md");
    repo.init_and_list(&truth);
    let config = repo.kepconfig();
    for line in ["layout = keps/{number}-{name}/README.md", "numbering = issue", "nameCase = lower-kebab"] {
        assert!(config.contains(line), "{config}");
    }
    assert!(config.contains("template = keps/NNNN-template") && config.contains("tocStyle = html"), "{config}");
    // The number is the tracking issue's: required, and kept as given.
    assert_eq!(repo.kep(&["new", "X"]).status.code(), Some(1));
    let staged = repo.new_proposal(&["--number", "12345"]);
    assert_eq!(staged, ["keps/12345-pod-overhead/README.md", "keps/12345-pod-overhead/kep.yaml"]);
    let readme = repo.read("keps/12345-pod-overhead/README.md");
    assert!(readme.starts_with("# KEP-12345: Pod Overhead\n"), "{readme}");
    assert_eq!(repo.kep(&["toc", "--check", "keps/12345-pod-overhead/README.md"]).status.code(), Some(0));
}

#[test]
fn kubevirt_folders_by_sig_whose_main_document_is_vep_md() {
    let Some(repo) = field("kubevirt-enhancements") else { return };
    let truth = repo.truth(|p| p.len() == 4 && p[0] == "veps" && numbered(p[2]) && p[3] == "vep.md");
    repo.init_and_list(&truth);
    assert!(repo.kepconfig().contains("layout = veps/{group}/{number}-{name}/vep.md"), "{}", repo.kepconfig());
    let staged = repo.new_proposal(&["--sig", "sig-compute", "--number", "999"]);
    assert_eq!(staged, ["veps/sig-compute/999-pod-overhead/vep.md"]);
    // What kubevirt's CI (check-vep-naming.py) requires of the folder and its main file.
    assert!(kebab_numbered("999-pod-overhead"));
    assert!(repo.read("veps/sig-compute/999-pod-overhead/vep.md").starts_with("# VEP #999: Pod Overhead\n"));
}

#[test]
fn tekton_single_files_numbered_in_sequence() {
    let Some(repo) = field("tekton-community") else { return };
    let truth = repo
        .truth(|p| p.len() == 2 && p[0] == "teps" && numbered(p[1].trim_end_matches(".md")) && p[1].ends_with(".md"));
    repo.init_and_list(&truth);
    let config = repo.kepconfig();
    assert!(config.contains("layout = teps/{number}-{name}.md") && config.contains("numberWidth = 4"), "{config}");
    assert!(config.contains("template = teps/tools/tep-template.md.template"), "{config}");
    let highest = truth.iter().filter_map(|p| p[5..9].parse::<u32>().ok()).max().unwrap();
    let staged = repo.new_proposal(&[]);
    let expected = format!("teps/{:04}-pod-overhead.md", highest + 1);
    assert_eq!(staged, std::slice::from_ref(&expected));
    // What teps.py validate wants: front matter with title, authors, creation-date and status;
    // the number in the H1 equal to the file's.
    let text = repo.read(&expected);
    assert!(text.starts_with("---\nstatus: proposed\ntitle: Pod Overhead\n"), "{text}");
    assert!(text.contains(&format!("---\n\n# TEP-{:04}: Pod Overhead\n", highest + 1)), "{text}");
    assert_eq!(repo.kep(&["init", "--force"]).status.code(), Some(0));
    assert_eq!(findings(&repo, "metadata-fields", &expected), Vec::<String>::new());
}

#[test]
fn cluster_api_dated_files_with_front_matter() {
    let Some(repo) = field("cluster-api") else { return };
    let truth = repo.truth(|p| {
        p.len() >= 3
            && p[..2] == ["docs", "proposals"]
            && (p.len() == 3 || (p.len() == 4 && p[2] == "archived"))
            && p.last().unwrap().split_once('-').is_some_and(|(d, _)| d.len() == 8 && digits(d))
    });
    repo.init_and_list(&truth);
    assert!(repo.kepconfig().contains("numbering = date"), "{}", repo.kepconfig());
    let staged = repo.new_proposal(&[]);
    assert_eq!(staged.len(), 1);
    let path = &staged[0];
    assert!(path.starts_with("docs/proposals/2") && path.ends_with("-pod-overhead.md"), "{path}");
    let text = repo.read(path);
    assert!(text.starts_with("---\ntitle: Pod Overhead\n") && text.contains("\n# Pod Overhead\n"), "{text}");
}

#[test]
fn gateway_api_gep_folders_with_index_md() {
    let Some(repo) = field("gateway-api") else { return };
    let truth = repo.truth(|p| {
        p.len() == 3 && p[0] == "geps" && p[1].strip_prefix("gep-").is_some_and(digits) && p[2] == "index.md"
    });
    repo.init_and_list(&truth);
    assert!(repo.kepconfig().contains("layout = geps/gep-{number}/index.md"), "{}", repo.kepconfig());
    // What hack/verify-gep-frontmatter.sh wants (a front matter title, as the GEPs write it),
    // and a metadata.yaml as every GEP has.
    assert_eq!(repo.new_proposal(&["--number", "9999"]), ["geps/gep-9999/index.md", "geps/gep-9999/metadata.yaml"]);
    assert!(repo.read("geps/gep-9999/index.md").starts_with("---\ntitle: \"GEP-9999: Pod Overhead\"\n---\n"));
    let metadata = repo.read("geps/gep-9999/metadata.yaml");
    assert!(
        metadata.contains("kind: GEPDetails\nnumber: 9999\nname: Pod Overhead\nstatus: Provisional\n"),
        "{metadata}"
    );
}

#[test]
fn otel_files_with_and_without_a_group() {
    let Some(repo) = field("otel-specification") else { return };
    let truth = repo.truth(|p| {
        p[0] == "oteps"
            && (p.len() == 2 || p.len() == 3)
            && p.last().unwrap().strip_suffix(".md").is_some_and(numbered)
            && !p.last().unwrap().contains("template")
    });
    repo.init_and_list(&truth);
    assert_eq!(repo.new_proposal(&["--number", "9999"]), ["oteps/9999-pod-overhead.md"]);
    assert!(repo.read("oteps/9999-pod-overhead.md").starts_with("# Pod Overhead\n"));
}

#[test]
fn openshift_unnumbered_files_by_area() {
    let Some(repo) = field("openshift-enhancements") else { return };
    let truth = repo.truth(|p| {
        let file = p.last().unwrap();
        p[0] == "enhancements"
            && (p.len() == 2 || p.len() == 3)
            && file.ends_with(".md")
            && !["README.md", "index.md"].contains(file)
            && !file.contains("template")
    });
    repo.init_and_list(&truth);
    assert!(repo.kepconfig().contains("layout = enhancements/{group}/{name}.md"), "{}", repo.kepconfig());
    assert_eq!(repo.new_proposal(&["--sig", "network"]), ["enhancements/network/pod-overhead.md"]);
    // metadata-lint: the front matter's title is the file's name, no TBD left, dates filled.
    let text = repo.read("enhancements/network/pod-overhead.md");
    assert!(text.starts_with("---\ntitle: pod-overhead\nauthors:\n  - \"Ada Author <ada@example.com>\"\n"), "{text}");
    assert!(!text.contains("TBD") && !text.contains("yyyy-mm-dd"), "{text}");
    assert_eq!(findings(&repo, "metadata-fields", "enhancements/network/pod-overhead.md"), Vec::<String>::new());
}

#[test]
fn rust_rfcs_files_numbered_by_pull_request_from_a_template_without_h1() {
    let Some(repo) = field("rust-rfcs") else { return };
    let truth = repo.truth(|p| p.len() == 2 && p[0] == "text" && p[1].strip_suffix(".md").is_some_and(numbered));
    repo.init_and_list(&truth);
    assert!(repo.kepconfig().contains("template = 0000-template.md"), "{}", repo.kepconfig());
    assert_eq!(repo.new_proposal(&["--number", "4000"]), ["text/4000-pod-overhead.md"]);
    assert!(repo.read("text/4000-pod-overhead.md").starts_with("- Feature Name:"), "the template as it is");
}

#[test]
fn kubeflow_scheduler_plugins_and_kubernetes_enhancements_folders() {
    for (name, root) in [("kubeflow-community", "proposals"), ("scheduler-plugins", "kep")] {
        let Some(repo) = field(name) else { return };
        let truth = repo.truth(|p| p.len() == 3 && p[0] == root && numbered(p[1]) && p[2] == "README.md");
        repo.init_and_list(&truth);
        assert_eq!(repo.new_proposal(&["--number", "9999"])[0], format!("{root}/9999-pod-overhead/README.md"));
    }
    let Some(repo) = k8s() else { return };
    let truth = repo.truth(|p| p.len() == 4 && p[0] == "keps" && numbered(p[2]) && p[3] == "README.md");
    repo.init_and_list(&truth);
    let config = repo.kepconfig();
    assert!(config.contains("layout = keps/{group}/{number}-{name}/README.md") && config.contains("numbering = issue"));
}

/// Every proposal that states a status (front matter `status:`, a `**Status:**` line, or a
/// metadata file's `status:`) is listed with it.
fn assert_statuses(repo: &Field) {
    let output = repo.kep(&["list", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut stated = 0;
    for entry in json.as_array().unwrap() {
        let path = entry["path"].as_str().unwrap();
        let folder = entry["folder"].as_str().unwrap();
        let text = repo.read(path);
        let sidecar = ["kep.yaml", "metadata.yaml"]
            .iter()
            .find_map(|name| std::fs::read_to_string(repo.root.join(folder).join(name)).ok())
            .filter(|_| folder != path);
        let front =
            text.strip_prefix("---\n").and_then(|rest| rest.split_once("\n---").map(|(block, _)| block.to_owned()));
        let from_yaml = |block: &str| {
            block
                .lines()
                .find_map(|line| line.strip_prefix("status:"))
                .map(|v| v.split(" #").next().unwrap().trim().trim_matches(['"', '\'']).to_owned())
        };
        let header = text.lines().take(20).find_map(|line| {
            let line = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")).unwrap_or(line);
            line.strip_prefix("**Status:**").or_else(|| line.strip_prefix("**Status**:")).map(|v| v.trim().to_owned())
        });
        let expected =
            sidecar.as_deref().and_then(from_yaml).or_else(|| front.as_deref().and_then(from_yaml)).or(header);
        let Some(expected) = expected.filter(|v| !v.is_empty() && !v.starts_with(['[', '|', '>'])) else { continue };
        stated += 1;
        assert_eq!(entry["status"].as_str(), Some(expected.as_str()), "{path}");
    }
    assert!(stated > 0, "no proposal states a status in {}", repo.root.display());
}

#[test]
fn list_shows_the_status_each_proposal_states_wherever_it_states_it() {
    for name in
        ["tekton-community", "cluster-api", "openshift-enhancements", "gateway-api", "otel-specification", "kueue"]
    {
        let Some(repo) = field(name) else { return };
        assert_eq!(repo.kep(&["init"]).status.code(), Some(0));
        assert_statuses(&repo);
    }
}

/// `check --format json`'s findings of `rule` in `path`.
fn findings(repo: &Field, rule: &str, path: &str) -> Vec<String> {
    let output = repo.kep(&["check", "--format", "json", path]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["rule"] == rule)
        .map(|p| format!("{}: {}", p["line"], p["message"].as_str().unwrap()))
        .collect()
}

#[test]
fn tektons_validator_rules_on_a_mutated_real_tep() {
    let Some(repo) = field("tekton-community") else { return };
    assert_eq!(repo.kep(&["init"]).status.code(), Some(0));
    let config = repo.kepconfig();
    assert!(
        config.contains("requiredFields = title, authors, creation-date, status")
            && config.contains("numberInTitle = true"),
        "{config}"
    );
    let tep = "teps/0002-custom-tasks.md";
    assert!(findings(&repo, "metadata-fields", tep).is_empty(), "the real file passes");
    let original = repo.read(tep);
    let status_line = original.lines().find(|l| l.starts_with("status:")).unwrap().to_owned();
    let mutated = original.replacen(&format!("{status_line}\n"), "", 1).replacen("# TEP-0002:", "# TEP-0020:", 1);
    std::fs::write(repo.root.join(tep), mutated).unwrap();
    let found = findings(&repo, "metadata-fields", tep);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].contains("`status` is required"), "{found:?}");
    assert!(found[1].contains("the title's number 0020 differs from the file's 0002"), "{found:?}");
}

#[test]
fn openshifts_metadata_lint_rules_on_a_mutated_real_enhancement() {
    let Some(repo) = field("openshift-enhancements") else { return };
    assert_eq!(repo.kep(&["init"]).status.code(), Some(0));
    let config = repo.kepconfig();
    assert!(
        config.contains("titleIsName = true") && config.contains("peopleFields = authors, reviewers, approvers"),
        "{config}"
    );
    // A real file that passes, mutated: another title, a TBD reviewer.
    let passing = ["agent-installer/agent-based-installer.md", "dns/externaldns-operator.md"]
        .iter()
        .map(|f| format!("enhancements/{f}"))
        .find(|path| findings(&repo, "metadata-fields", path).is_empty())
        .expect("a real enhancement that passes");
    let original = repo.read(&passing);
    let title_line = original.lines().find(|l| l.starts_with("title:")).unwrap().to_owned();
    let mutated =
        original.replacen(&title_line, "title: something-else", 1).replacen("reviewers:\n", "reviewers:\n  - TBD\n", 1);
    std::fs::write(repo.root.join(&passing), mutated).unwrap();
    let found = findings(&repo, "metadata-fields", &passing);
    assert!(found.iter().any(|f| f.contains("placeholder \"TBD\"")), "{found:?}");
    assert!(found.iter().any(|f| f.contains("`title: something-else` differs from the file's name")), "{found:?}");
}

#[test]
fn tektons_table_of_teps_is_what_teps_py_generates() {
    let Some(repo) = field("tekton-community") else { return };
    assert_eq!(repo.kep(&["init"]).status.code(), Some(0));
    repo.git(&[
        "config",
        "kep.indexRow",
        "|[TEP-{number:04}]({path}) | {title} | {status} | {last-updated|creation-date} |",
    ]);
    // The table teps.py generated, between the index markers.
    let readme = repo.read("teps/README.md");
    let header = readme.find("| TEP ").unwrap();
    let last_row_end = readme.rfind("|\n").unwrap() + 2;
    let marked = format!(
        "{}<!-- kep-index -->\n{}<!-- /kep-index -->\n{}",
        &readme[..header],
        &readme[header..last_row_end],
        &readme[last_row_end..]
    );
    std::fs::write(repo.root.join("teps/README.md"), &marked).unwrap();
    let check = repo.kep(&["toc", "--check", "teps/README.md"]);
    assert_eq!(check.status.code(), Some(0), "git-kep's table differs from teps.py's: {}", stdout(&check));
    // A status changes: the index is stale, and `toc` writes the row anew.
    let tep = "teps/0006-tekton-metrics.md";
    let text = repo.read(tep);
    let status = text.lines().find(|l| l.starts_with("status:")).unwrap().to_owned();
    std::fs::write(repo.root.join(tep), text.replacen(&status, "status: withdrawn", 1)).unwrap();
    assert_eq!(repo.kep(&["toc", "--check", "teps/README.md"]).status.code(), Some(1));
    assert_eq!(repo.kep(&["toc", "teps/README.md"]).status.code(), Some(0));
    let row = repo.read("teps/README.md").lines().find(|l| l.starts_with("|[TEP-0006]")).unwrap().to_owned();
    assert!(row.contains("| withdrawn |"), "{row}");
}

#[test]
fn site_paths_are_unchecked_unless_a_site_root_says_where_they_are() {
    let Some(repo) = field("gateway-api") else { return };
    assert_eq!(repo.kep(&["init"]).status.code(), Some(0));
    let gep = "geps/gep-713/index.md";
    assert!(repo.read(gep).contains("(/docs/concepts/roles-and-personas.md#ana)"));
    // The site generator serves `/docs/...`: not a file of this tree, so not a broken link.
    let site_links = |found: Vec<String>| found.into_iter().filter(|f| f.contains("/docs/")).collect::<Vec<_>>();
    assert_eq!(site_links(findings(&repo, "broken-anchor", gep)), Vec::<String>::new());
    // Told where `/` is, it checks them: the page exists there, with one of the two anchors.
    repo.git(&["config", "kep.siteRoot", "site-src"]);
    std::fs::create_dir_all(repo.root.join("site-src/docs/concepts")).unwrap();
    std::fs::write(repo.root.join("site-src/docs/concepts/roles-and-personas.md"), "# Roles\n\n## Ana\n").unwrap();
    let found = site_links(findings(&repo, "broken-anchor", gep));
    assert!(!found.is_empty() && found.iter().all(|f| f.contains("#chihiro")), "{found:?}");
    // A page missing there is broken.
    std::fs::remove_file(repo.root.join("site-src/docs/concepts/roles-and-personas.md")).unwrap();
    let found = site_links(findings(&repo, "broken-anchor", gep));
    assert!(found.iter().any(|f| f.contains("does not exist")), "{found:?}");
}

#[test]
fn openshifts_template_lint_agrees_with_missing_section_on_a_new_enhancement() {
    let Some(repo) = field("openshift-enhancements") else { return };
    assert_eq!(repo.kep(&["init"]).status.code(), Some(0));
    assert!(repo.kepconfig().contains("sectionRule = template-lint"), "{}", repo.kepconfig());
    repo.git(&["add", ".kepconfig"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "init"]);
    // The old enhancements are not checked against today's template, as template-lint does not.
    assert_eq!(findings(&repo, "missing-section", "enhancements"), Vec::<String>::new());
    // A new enhancement from the real template, mutated: a required header renamed, one a level
    // deeper, an `[optional]` one dropped.
    let template = repo.read("guidelines/enhancement_template.md");
    for line in ["## Test Plan\n", "### Non-Goals\n", "## Open Questions [optional]\n"] {
        assert!(template.contains(line), "{line}");
    }
    let new = template
        .replacen("## Test Plan\n", "## Tests\n", 1)
        .replacen("### Non-Goals\n", "#### Non-Goals\n", 1)
        .replacen("## Open Questions [optional]\n", "", 1);
    repo.git(&["checkout", "-q", "-b", "proposal"]);
    std::fs::write(repo.root.join("enhancements/network/new-idea.md"), &new).unwrap();
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "new"]);
    let ours = repo.kep(&["check", "--since", "main", "--rule", "missing-section", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&ours.stdout).unwrap();
    let mut missing: Vec<String> = json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| format!("{} {}", p["path"].as_str().unwrap(), p["message"].as_str().unwrap()))
        .collect();
    missing.sort();
    assert_eq!(
        missing,
        [
            "enhancements/network/new-idea.md missing \"## Test Plan\" required by the template: add a line starting with it",
            "enhancements/network/new-idea.md missing \"### Non-Goals\" required by the template: add a line starting with it",
        ]
    );
    // The repository's own script, with stand-ins for its two helpers that the corpus lacks
    // (the new files since main; no ignored paths), finds the same two.
    std::fs::write(
        repo.root.join("hack/find_new.sh"),
        "#!/bin/sh\ngit diff --name-only --diff-filter=A main -- enhancements\n",
    )
    .unwrap();
    std::fs::write(repo.root.join("hack/ignore_lib.sh"), "filter_ignored_paths() { echo \"$1\"; }\n").unwrap();
    assert!(repo.command("chmod", &["+x", "hack/find_new.sh"]).status.success());
    let script = repo.command("bash", &["hack/template-lint.sh"]);
    let mut theirs: Vec<String> =
        stdout(&script).lines().filter(|l| l.contains(" missing ")).map(str::to_owned).collect();
    theirs.sort();
    assert_eq!(
        theirs,
        [
            "enhancements/network/new-idea.md missing \"## Test Plan\"",
            "enhancements/network/new-idea.md missing \"### Non-Goals\""
        ],
        "{}",
        stderr(&script)
    );
    // The hook says the same of a new enhancement, and nothing of an edit to an old one.
    repo.kep(&["install"]);
    let old = "enhancements/network/vrf-cni.md";
    let text = repo.read(old);
    std::fs::write(repo.root.join(old), format!("{text}\nOne more line.\n")).unwrap();
    let newer = new.replacen("#### Non-Goals\n", "### Non-Goals\n", 1);
    std::fs::write(repo.root.join("enhancements/network/newer-idea.md"), newer).unwrap();
    repo.git(&["add", "-A"]);
    let commit = repo.command("git", &["commit", "-q", "-m", "more"]);
    assert_eq!(commit.status.code(), Some(0), "{}", stderr(&commit));
    let said = stderr(&commit);
    assert!(said.contains("newer-idea.md:1:1: warning: missing-section: missing \"## Test Plan\""), "{said}");
    assert!(!said.contains("vrf-cni.md:1:1: warning: missing-section"), "{said}");
}
