//! The command line under attack: a release written to hijack the terminal of whoever reads the queue,
//! a link planted where export writes, exports racing each other. Each test fails without its fix.

use crate::e2e::{root, Audarma};
use serde_json::Value;

/// A workflow over one release file, pseudo-translated into Russian.
fn workflow_with(a: &Audarma, release: &str) -> String {
    let dir = a.dir().join("releases");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("evil.txt"), release).unwrap();
    let wf = a.dir().join("w.toml");
    let glossaries = root().join("glossaries");
    std::fs::write(
        &wf,
        format!(
            "name = \"attack\"\n[sources]\npaths = [{:?}]\n[languages]\ntargets = [\"ru\"]\n[glossary]\npaths = [{:?}]\n[backend]\nkind = \"pseudo\"\n",
            dir.display().to_string(),
            glossaries.display().to_string()
        ),
    )
    .unwrap();
    wf.display().to_string()
}

#[test]
fn a_release_cannot_drive_the_terminal_of_whoever_reads_the_queue() {
    let a = Audarma::new();
    let wf = workflow_with(
        &a,
        "Talks\u{1b}]0;pwned\u{7} in Astana\u{1b}[2J\n\nThe parties met in Astana.\u{9b}31m Trade grew.\n",
    );
    a.run(&["run", &wf]);
    for args in [vec!["queue"], vec!["show", "1"], vec!["history"]] {
        let out = a.ok(&args);
        assert!(!out.chars().any(|c| c == '\u{1b}' || c == '\u{7}' || c == '\u{9b}'), "{args:?}: {out:?}");
    }
    let queue = a.ok(&["queue"]);
    assert!(queue.contains("Talks]0;pwned in Astana[2J"), "the text stays readable, the controls are gone: {queue}");
}

#[test]
fn export_replaces_a_planted_link_instead_of_writing_through_it_and_racing_exports_never_mix() {
    let a = Audarma::new();
    let wf = workflow_with(&a, "Talks in Astana\n\nThe parties met in Astana.\n");
    a.run(&["run", &wf]);
    a.ok(&["approve", "1", "--override", "a test", "--as", "aigerim"]);
    let out = a.dir().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let victim = a.dir().join("victim.txt");
    std::fs::write(&victim, "do not touch").unwrap();
    let exported = a.json(&["export", "--out", out.to_str().unwrap()]);
    let md = exported["written"][0].as_str().map(str::to_string).unwrap_or_else(|| panic!("{exported}"));
    let md = std::path::PathBuf::from(md);
    std::fs::remove_file(&md).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&victim, &md).unwrap();
    a.ok(&["export", "--out", out.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "do not touch", "the link's target was written through");
    assert!(std::fs::symlink_metadata(&md).unwrap().is_file(), "the link was replaced by the file");

    // Exports racing each other: every file is whole, and each .md goes with its own .json.
    for _ in 0..10 {
        let spawn = || {
            std::process::Command::new(env!("CARGO_BIN_EXE_audarma"))
                .current_dir(root())
                .env("AUDARMA_DB", &a.db)
                .args(["export", "--out", out.to_str().unwrap()])
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        };
        let (mut x, mut y) = (spawn(), spawn());
        assert!(x.wait().unwrap().success() && y.wait().unwrap().success());
        let md_text = std::fs::read_to_string(&md).unwrap();
        let json: Value = serde_json::from_str(&std::fs::read_to_string(md.with_extension("json")).unwrap()).unwrap();
        assert!(md_text.ends_with('\n') && md_text.starts_with("---\n"), "{md_text}");
        assert!(md_text.contains(&format!("job: {}", json["job"])), "the .md and .json of one job: {md_text} {json}");
    }
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
