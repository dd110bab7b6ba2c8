# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_git_kep_global_optspecs
    string join \n color= h/help V/version
end

function __fish_git_kep_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_git_kep_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_git_kep_using_subcommand
    set -l cmd (__fish_git_kep_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c git-kep -n "__fish_git_kep_needs_command" -l color -d 'When to use colors: auto honours NO_COLOR, TERM=dumb, git\'s color.ui and whether the output is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c git-kep -n "__fish_git_kep_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c git-kep -n "__fish_git_kep_needs_command" -s V -l version -d 'Print version'
complete -c git-kep -n "__fish_git_kep_needs_command" -f -a "toc" -d 'Regenerate the table of contents between <!-- toc --> and <!-- /toc -->'
complete -c git-kep -n "__fish_git_kep_needs_command" -f -a "pre-commit" -d 'Refresh the TOCs of staged proposals and restage them (what the hook runs)'
complete -c git-kep -n "__fish_git_kep_needs_command" -f -a "pre-merge-commit" -d 'What the pre-merge-commit hook runs: a merge git completes without a conflict whose proposals\' TOCs are stale is stopped with them refreshed and staged (`git commit` concludes it)'
complete -c git-kep -n "__fish_git_kep_needs_command" -f -a "post-rewrite" -d 'What the post-rewrite hook runs (after `git commit --amend` and `git rebase`): warns about rewritten commits whose proposals\' TOCs are stale. Reads git\'s list on stdin'
complete -c git-kep -n "__fish_git_kep_needs_command" -f -a "init" -d 'Detect where this repository keeps its proposals and write `.kepconfig`'
complete -c git-kep -n "__fish_git_kep_needs_command" -f -a "install" -d 'Install the git-kep pre-commit hook in this repository'
complete -c git-kep -n "__fish_git_kep_needs_command" -f -a "uninstall" -d 'Remove the git-kep pre-commit hook (a foreign hook is left alone)'
complete -c git-kep -n "__fish_git_kep_needs_command" -f -a "new" -d 'Start a new proposal: a numbered folder from the template, on its own branch'
complete -c git-kep -n "__fish_git_kep_needs_command" -f -a "check" -d 'Check proposals: stale TOCs, broken anchors, missing sections, duplicate numbers'
complete -c git-kep -n "__fish_git_kep_needs_command" -f -a "fix" -d 'Point links from other files at the headings a change renamed (the hook reports them)'
complete -c git-kep -n "__fish_git_kep_needs_command" -f -a "list" -d 'List every proposal: number, title, status and whether its TOC is fresh'
complete -c git-kep -n "__fish_git_kep_needs_command" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, elvish, powershell)'
complete -c git-kep -n "__fish_git_kep_needs_command" -f -a "man" -d 'Print the man page (roff), as installed by install.sh'
complete -c git-kep -n "__fish_git_kep_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c git-kep -n "__fish_git_kep_using_subcommand toc" -l style -d 'TOC style: `markdown` (the template\'s), `html` (mdtoc\'s), `doctoc` or `markdown-toc`' -r -f -a "markdown\t''
html\t''
doctoc\t''
markdown-toc\t''"
complete -c git-kep -n "__fish_git_kep_using_subcommand toc" -l max-depth -d 'Deepest heading level listed (1-6)' -r
complete -c git-kep -n "__fish_git_kep_using_subcommand toc" -l anchors -d 'The html style\'s anchors: `mdtoc` (what mdtoc writes, the default) or `github`' -r -f -a "mdtoc\t'mdtoc\'s anchors, byte for byte (for repositories whose CI runs mdtoc)'
github\t'GitHub\'s anchors (the ids github.com gives the headings)'"
complete -c git-kep -n "__fish_git_kep_using_subcommand toc" -l color -d 'When to use colors: auto honours NO_COLOR, TERM=dumb, git\'s color.ui and whether the output is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c git-kep -n "__fish_git_kep_using_subcommand toc" -l check -d 'Write nothing; show what would change and exit 1 if any TOC is stale'
complete -c git-kep -n "__fish_git_kep_using_subcommand toc" -l stdout -d 'Print the regenerated document instead of writing it (one PATH, or `-` for stdin)'
complete -c git-kep -n "__fish_git_kep_using_subcommand toc" -l skip-prefix -d 'List only the headings after the end marker (mdtoc\'s default)'
complete -c git-kep -n "__fish_git_kep_using_subcommand toc" -l no-skip-prefix -d 'List the headings above the start marker too (the template\'s default)'
complete -c git-kep -n "__fish_git_kep_using_subcommand toc" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c git-kep -n "__fish_git_kep_using_subcommand pre-commit" -l style -d 'TOC style: `markdown` (the template\'s), `html` (mdtoc\'s), `doctoc` or `markdown-toc`' -r -f -a "markdown\t''
html\t''
doctoc\t''
markdown-toc\t''"
complete -c git-kep -n "__fish_git_kep_using_subcommand pre-commit" -l max-depth -d 'Deepest heading level listed (1-6)' -r
complete -c git-kep -n "__fish_git_kep_using_subcommand pre-commit" -l anchors -d 'The html style\'s anchors: `mdtoc` (what mdtoc writes, the default) or `github`' -r -f -a "mdtoc\t'mdtoc\'s anchors, byte for byte (for repositories whose CI runs mdtoc)'
github\t'GitHub\'s anchors (the ids github.com gives the headings)'"
complete -c git-kep -n "__fish_git_kep_using_subcommand pre-commit" -l color -d 'When to use colors: auto honours NO_COLOR, TERM=dumb, git\'s color.ui and whether the output is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c git-kep -n "__fish_git_kep_using_subcommand pre-commit" -l skip-prefix -d 'List only the headings after the end marker (mdtoc\'s default)'
complete -c git-kep -n "__fish_git_kep_using_subcommand pre-commit" -l no-skip-prefix -d 'List the headings above the start marker too (the template\'s default)'
complete -c git-kep -n "__fish_git_kep_using_subcommand pre-commit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c git-kep -n "__fish_git_kep_using_subcommand pre-merge-commit" -l style -d 'TOC style: `markdown` (the template\'s), `html` (mdtoc\'s), `doctoc` or `markdown-toc`' -r -f -a "markdown\t''
html\t''
doctoc\t''
markdown-toc\t''"
complete -c git-kep -n "__fish_git_kep_using_subcommand pre-merge-commit" -l max-depth -d 'Deepest heading level listed (1-6)' -r
complete -c git-kep -n "__fish_git_kep_using_subcommand pre-merge-commit" -l anchors -d 'The html style\'s anchors: `mdtoc` (what mdtoc writes, the default) or `github`' -r -f -a "mdtoc\t'mdtoc\'s anchors, byte for byte (for repositories whose CI runs mdtoc)'
github\t'GitHub\'s anchors (the ids github.com gives the headings)'"
complete -c git-kep -n "__fish_git_kep_using_subcommand pre-merge-commit" -l color -d 'When to use colors: auto honours NO_COLOR, TERM=dumb, git\'s color.ui and whether the output is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c git-kep -n "__fish_git_kep_using_subcommand pre-merge-commit" -l skip-prefix -d 'List only the headings after the end marker (mdtoc\'s default)'
complete -c git-kep -n "__fish_git_kep_using_subcommand pre-merge-commit" -l no-skip-prefix -d 'List the headings above the start marker too (the template\'s default)'
complete -c git-kep -n "__fish_git_kep_using_subcommand pre-merge-commit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c git-kep -n "__fish_git_kep_using_subcommand post-rewrite" -l color -d 'When to use colors: auto honours NO_COLOR, TERM=dumb, git\'s color.ui and whether the output is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c git-kep -n "__fish_git_kep_using_subcommand post-rewrite" -s h -l help -d 'Print help'
complete -c git-kep -n "__fish_git_kep_using_subcommand init" -l color -d 'When to use colors: auto honours NO_COLOR, TERM=dumb, git\'s color.ui and whether the output is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c git-kep -n "__fish_git_kep_using_subcommand init" -l dry-run -d 'Print what was found and the configuration; write nothing'
complete -c git-kep -n "__fish_git_kep_using_subcommand init" -l local -d 'Write the repository\'s own git config instead of a committed `.kepconfig` (for a contributor who cannot commit one)'
complete -c git-kep -n "__fish_git_kep_using_subcommand init" -l force -d 'Replace an existing `.kepconfig`'
complete -c git-kep -n "__fish_git_kep_using_subcommand init" -s h -l help -d 'Print help'
complete -c git-kep -n "__fish_git_kep_using_subcommand install" -l color -d 'When to use colors: auto honours NO_COLOR, TERM=dumb, git\'s color.ui and whether the output is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c git-kep -n "__fish_git_kep_using_subcommand install" -l force -d 'Replace a pre-commit hook that is not git-kep\'s (it is backed up first)'
complete -c git-kep -n "__fish_git_kep_using_subcommand install" -s h -l help -d 'Print help'
complete -c git-kep -n "__fish_git_kep_using_subcommand uninstall" -l color -d 'When to use colors: auto honours NO_COLOR, TERM=dumb, git\'s color.ui and whether the output is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c git-kep -n "__fish_git_kep_using_subcommand uninstall" -s h -l help -d 'Print help'
complete -c git-kep -n "__fish_git_kep_using_subcommand new" -l number -d 'Use this number instead of the next free one' -r
complete -c git-kep -n "__fish_git_kep_using_subcommand new" -l name -d 'Folder name after `NNN-` (default: the title\'s words)' -r
complete -c git-kep -n "__fish_git_kep_using_subcommand new" -l base -d 'Start the branch from this revision (default: kep.base, else HEAD)' -r
complete -c git-kep -n "__fish_git_kep_using_subcommand new" -l sig -d 'The group (SIG) that owns it, where kep.dir holds one folder per group (default: kep.sig)' -r
complete -c git-kep -n "__fish_git_kep_using_subcommand new" -l participating-sig -d 'Another group taking part (repeatable)' -r
complete -c git-kep -n "__fish_git_kep_using_subcommand new" -l stage -d 'The stage it targets first (kep.yaml\'s `stage`)' -r -f -a "alpha\t''
beta\t''
stable\t''
deprecated\t''
disabled\t''
removed\t''"
complete -c git-kep -n "__fish_git_kep_using_subcommand new" -l milestone -d 'The release it targets (`vX.Y`): kep.yaml\'s `latest-milestone` and the stage\'s milestone' -r
complete -c git-kep -n "__fish_git_kep_using_subcommand new" -l reviewer -d 'A reviewer (`@handle`, repeatable; default the template\'s TBD)' -r
complete -c git-kep -n "__fish_git_kep_using_subcommand new" -l approver -d 'An approver (`@handle`, repeatable; default the template\'s TBD)' -r
complete -c git-kep -n "__fish_git_kep_using_subcommand new" -l prr-approver -d 'The production-readiness approver, for the prod-readiness file (`@handle`)' -r
complete -c git-kep -n "__fish_git_kep_using_subcommand new" -l color -d 'When to use colors: auto honours NO_COLOR, TERM=dumb, git\'s color.ui and whether the output is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c git-kep -n "__fish_git_kep_using_subcommand new" -l commit -d 'Also commit the new files ("Add proposal NNN: Title")'
complete -c git-kep -n "__fish_git_kep_using_subcommand new" -l dry-run -d 'Print the plan (number, folder, branch, base, files) and change nothing'
complete -c git-kep -n "__fish_git_kep_using_subcommand new" -s h -l help -d 'Print help'
complete -c git-kep -n "__fish_git_kep_using_subcommand check" -l since -d 'Report only what the changes since REV introduced: the proposals changed between REV\'s merge base and the work tree (or the index), each compared with its version there' -r
complete -c git-kep -n "__fish_git_kep_using_subcommand check" -l format -d 'Output format' -r -f -a "human\t'`path:line:column: rule: message`, colored, with a diff for stale TOCs'
json\t'One JSON document (fields documented in the README)'
github\t'GitHub Actions annotations (`::error file=…,line=…,col=…::…`)'"
complete -c git-kep -n "__fish_git_kep_using_subcommand check" -l rule -d 'Run only this rule (repeatable; the names of `kep.checkDisable`)' -r
complete -c git-kep -n "__fish_git_kep_using_subcommand check" -l skip-rule -d 'Skip this rule (repeatable)' -r
complete -c git-kep -n "__fish_git_kep_using_subcommand check" -l style -d 'TOC style: `markdown` (the template\'s), `html` (mdtoc\'s), `doctoc` or `markdown-toc`' -r -f -a "markdown\t''
html\t''
doctoc\t''
markdown-toc\t''"
complete -c git-kep -n "__fish_git_kep_using_subcommand check" -l max-depth -d 'Deepest heading level listed (1-6)' -r
complete -c git-kep -n "__fish_git_kep_using_subcommand check" -l anchors -d 'The html style\'s anchors: `mdtoc` (what mdtoc writes, the default) or `github`' -r -f -a "mdtoc\t'mdtoc\'s anchors, byte for byte (for repositories whose CI runs mdtoc)'
github\t'GitHub\'s anchors (the ids github.com gives the headings)'"
complete -c git-kep -n "__fish_git_kep_using_subcommand check" -l color -d 'When to use colors: auto honours NO_COLOR, TERM=dumb, git\'s color.ui and whether the output is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c git-kep -n "__fish_git_kep_using_subcommand check" -l staged -d 'Check the staged content of the staged proposals (with --since: the index, not the work tree)'
complete -c git-kep -n "__fish_git_kep_using_subcommand check" -l skip-prefix -d 'List only the headings after the end marker (mdtoc\'s default)'
complete -c git-kep -n "__fish_git_kep_using_subcommand check" -l no-skip-prefix -d 'List the headings above the start marker too (the template\'s default)'
complete -c git-kep -n "__fish_git_kep_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c git-kep -n "__fish_git_kep_using_subcommand fix" -l since -d 'The renames are those since this revision\'s merge base (default HEAD: not yet committed)' -r
complete -c git-kep -n "__fish_git_kep_using_subcommand fix" -l color -d 'When to use colors: auto honours NO_COLOR, TERM=dumb, git\'s color.ui and whether the output is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c git-kep -n "__fish_git_kep_using_subcommand fix" -l check -d 'Only report the links; exit 1 if any would change'
complete -c git-kep -n "__fish_git_kep_using_subcommand fix" -s h -l help -d 'Print help'
complete -c git-kep -n "__fish_git_kep_using_subcommand list" -l format -d 'Output format' -r -f -a "human\t'Aligned columns'
json\t'A JSON array (fields documented in the README)'"
complete -c git-kep -n "__fish_git_kep_using_subcommand list" -l sig -d 'Only proposals owned by this group (kep.yaml\'s `owning-sig`; repeatable)' -r
complete -c git-kep -n "__fish_git_kep_using_subcommand list" -l status -d 'Only proposals with this status (repeatable)' -r
complete -c git-kep -n "__fish_git_kep_using_subcommand list" -l stage -d 'Only proposals at this stage (repeatable)' -r
complete -c git-kep -n "__fish_git_kep_using_subcommand list" -l milestone -d 'Only proposals whose latest milestone is this one (`v1.36`; repeatable)' -r
complete -c git-kep -n "__fish_git_kep_using_subcommand list" -l author -d 'Only proposals with this author (`@handle`; repeatable)' -r
complete -c git-kep -n "__fish_git_kep_using_subcommand list" -l color -d 'When to use colors: auto honours NO_COLOR, TERM=dumb, git\'s color.ui and whether the output is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c git-kep -n "__fish_git_kep_using_subcommand list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c git-kep -n "__fish_git_kep_using_subcommand completions" -l color -d 'When to use colors: auto honours NO_COLOR, TERM=dumb, git\'s color.ui and whether the output is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c git-kep -n "__fish_git_kep_using_subcommand completions" -s h -l help -d 'Print help'
complete -c git-kep -n "__fish_git_kep_using_subcommand man" -l color -d 'When to use colors: auto honours NO_COLOR, TERM=dumb, git\'s color.ui and whether the output is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c git-kep -n "__fish_git_kep_using_subcommand man" -s h -l help -d 'Print help'
complete -c git-kep -n "__fish_git_kep_using_subcommand help; and not __fish_seen_subcommand_from toc pre-commit pre-merge-commit post-rewrite init install uninstall new check fix list completions man help" -f -a "toc" -d 'Regenerate the table of contents between <!-- toc --> and <!-- /toc -->'
complete -c git-kep -n "__fish_git_kep_using_subcommand help; and not __fish_seen_subcommand_from toc pre-commit pre-merge-commit post-rewrite init install uninstall new check fix list completions man help" -f -a "pre-commit" -d 'Refresh the TOCs of staged proposals and restage them (what the hook runs)'
complete -c git-kep -n "__fish_git_kep_using_subcommand help; and not __fish_seen_subcommand_from toc pre-commit pre-merge-commit post-rewrite init install uninstall new check fix list completions man help" -f -a "pre-merge-commit" -d 'What the pre-merge-commit hook runs: a merge git completes without a conflict whose proposals\' TOCs are stale is stopped with them refreshed and staged (`git commit` concludes it)'
complete -c git-kep -n "__fish_git_kep_using_subcommand help; and not __fish_seen_subcommand_from toc pre-commit pre-merge-commit post-rewrite init install uninstall new check fix list completions man help" -f -a "post-rewrite" -d 'What the post-rewrite hook runs (after `git commit --amend` and `git rebase`): warns about rewritten commits whose proposals\' TOCs are stale. Reads git\'s list on stdin'
complete -c git-kep -n "__fish_git_kep_using_subcommand help; and not __fish_seen_subcommand_from toc pre-commit pre-merge-commit post-rewrite init install uninstall new check fix list completions man help" -f -a "init" -d 'Detect where this repository keeps its proposals and write `.kepconfig`'
complete -c git-kep -n "__fish_git_kep_using_subcommand help; and not __fish_seen_subcommand_from toc pre-commit pre-merge-commit post-rewrite init install uninstall new check fix list completions man help" -f -a "install" -d 'Install the git-kep pre-commit hook in this repository'
complete -c git-kep -n "__fish_git_kep_using_subcommand help; and not __fish_seen_subcommand_from toc pre-commit pre-merge-commit post-rewrite init install uninstall new check fix list completions man help" -f -a "uninstall" -d 'Remove the git-kep pre-commit hook (a foreign hook is left alone)'
complete -c git-kep -n "__fish_git_kep_using_subcommand help; and not __fish_seen_subcommand_from toc pre-commit pre-merge-commit post-rewrite init install uninstall new check fix list completions man help" -f -a "new" -d 'Start a new proposal: a numbered folder from the template, on its own branch'
complete -c git-kep -n "__fish_git_kep_using_subcommand help; and not __fish_seen_subcommand_from toc pre-commit pre-merge-commit post-rewrite init install uninstall new check fix list completions man help" -f -a "check" -d 'Check proposals: stale TOCs, broken anchors, missing sections, duplicate numbers'
complete -c git-kep -n "__fish_git_kep_using_subcommand help; and not __fish_seen_subcommand_from toc pre-commit pre-merge-commit post-rewrite init install uninstall new check fix list completions man help" -f -a "fix" -d 'Point links from other files at the headings a change renamed (the hook reports them)'
complete -c git-kep -n "__fish_git_kep_using_subcommand help; and not __fish_seen_subcommand_from toc pre-commit pre-merge-commit post-rewrite init install uninstall new check fix list completions man help" -f -a "list" -d 'List every proposal: number, title, status and whether its TOC is fresh'
complete -c git-kep -n "__fish_git_kep_using_subcommand help; and not __fish_seen_subcommand_from toc pre-commit pre-merge-commit post-rewrite init install uninstall new check fix list completions man help" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, elvish, powershell)'
complete -c git-kep -n "__fish_git_kep_using_subcommand help; and not __fish_seen_subcommand_from toc pre-commit pre-merge-commit post-rewrite init install uninstall new check fix list completions man help" -f -a "man" -d 'Print the man page (roff), as installed by install.sh'
complete -c git-kep -n "__fish_git_kep_using_subcommand help; and not __fish_seen_subcommand_from toc pre-commit pre-merge-commit post-rewrite init install uninstall new check fix list completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'

# `git kep <TAB>`: the words after `kep`, completed as `git-kep` completes them.
function __fish_git_kep_through_git
    set -l words (commandline -opc)
    set -e words[1]
    argparse -s 'C=+' 'c=+' 'git-dir=' 'work-tree=' 'namespace=' 'exec-path=?' 'p/paginate' 'P/no-pager' \
        'no-replace-objects' 'bare' 'literal-pathspecs' 'glob-pathspecs' 'noglob-pathspecs' 'icase-pathspecs' \
        'no-optional-locks' -- $words 2>/dev/null
    or return 1
    test "$argv[1]" = kep
    or return 1
    set -e argv[1]
    complete -C "git-kep $argv "(commandline -ct)
end
complete -c git -f -n '__fish_git_kep_through_git >/dev/null' -a '(__fish_git_kep_through_git)'
