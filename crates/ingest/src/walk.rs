//! Turning command-line paths into inputs: files, folders (recursively), stdin.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::{Input, Rejection};

/// Folders deeper than this are not entered: a guard beside the loop check.
const MAX_DEPTH: usize = 64;

/// Walk PATHs: files as they are, folders recursively in sorted order, `-` as stdin.
/// Hidden entries (names starting with `.`) inside folders are skipped. Missing paths,
/// unreadable folders and symlink loops become rejections.
pub fn collect_inputs(paths: &[PathBuf]) -> (Vec<Input>, Vec<Rejection>) {
    let mut inputs = Vec::new();
    let mut rejections = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        match fs::metadata(path) {
            Ok(m) if m.is_dir() => {
                let mut seen = HashSet::new();
                walk_dir(path, 0, &mut seen, &mut inputs, &mut rejections);
            }
            Ok(_) => inputs.push(Input::File(path.clone())),
            Err(e) => rejections.push(Rejection::new(path.display(), io_reason(&e))),
        }
    }
    (inputs, rejections)
}

fn walk_dir(
    dir: &Path,
    depth: usize,
    seen: &mut HashSet<PathBuf>,
    inputs: &mut Vec<Input>,
    rejections: &mut Vec<Rejection>,
) {
    let origin = dir.display().to_string();
    if depth > MAX_DEPTH {
        rejections.push(Rejection::new(
            &origin,
            format!("folder nesting deeper than {MAX_DEPTH}, not entered"),
        ));
        return;
    }
    // The real path identifies a folder however a symlink reached it, so a link back
    // to an ancestor is seen again and stops the walk.
    match fs::canonicalize(dir) {
        Ok(real) => {
            if !seen.insert(real) {
                rejections.push(Rejection::new(
                    &origin,
                    "symlink loop (folder already visited), skipped",
                ));
                return;
            }
        }
        Err(e) => {
            rejections.push(Rejection::new(&origin, io_reason(&e)));
            return;
        }
    }
    let entries = match fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            rejections.push(Rejection::new(
                &origin,
                format!("cannot read folder: {}", io_reason(&e)),
            ));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = Vec::new();
    for entry in entries {
        match entry {
            Ok(e) => paths.push(e.path()),
            Err(e) => rejections.push(Rejection::new(
                &origin,
                format!("cannot list an entry: {e}"),
            )),
        }
    }
    paths.sort();
    for path in paths {
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        match fs::metadata(&path) {
            Ok(m) if m.is_dir() => walk_dir(&path, depth + 1, seen, inputs, rejections),
            Ok(_) => inputs.push(Input::File(path)),
            Err(e) => rejections.push(Rejection::new(path.display(), io_reason(&e))),
        }
    }
}

/// Advice-like wording for the I/O errors a user can fix.
pub(crate) fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "no such file or folder".to_string(),
        PermissionDenied => "unreadable: permission denied".to_string(),
        _ if e.raw_os_error() == Some(40) => "symlink loop (too many levels of links)".to_string(),
        _ => format!("unreadable: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(inputs: &[Input]) -> Vec<String> {
        inputs
            .iter()
            .map(|i| match i {
                Input::File(p) => p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                Input::Stdin => "-".to_string(),
            })
            .collect()
    }

    #[test]
    fn folders_are_walked_sorted_and_hidden_files_skipped() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::create_dir(dir.path().join("sub")).expect("mkdir");
        for f in ["b.txt", "a.md", ".hidden.txt", "sub/c.html"] {
            fs::write(dir.path().join(f), "x").expect("write");
        }
        let (inputs, rejections) = collect_inputs(&[dir.path().to_path_buf(), PathBuf::from("-")]);
        assert!(rejections.is_empty(), "{rejections:?}");
        assert_eq!(names(&inputs), ["a.md", "b.txt", "c.html", "-"]);
    }

    #[test]
    fn missing_paths_are_rejected() {
        let (inputs, rejections) = collect_inputs(&[PathBuf::from("/no/such/dossier/file.txt")]);
        assert!(inputs.is_empty());
        assert_eq!(rejections[0].reason, "no such file or folder");
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_end() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::create_dir(dir.path().join("a")).expect("mkdir");
        fs::write(dir.path().join("a/x.txt"), "x").expect("write");
        std::os::unix::fs::symlink(dir.path(), dir.path().join("a/back")).expect("symlink");
        std::os::unix::fs::symlink("self", dir.path().join("self")).expect("symlink");
        let (inputs, rejections) = collect_inputs(&[dir.path().to_path_buf()]);
        assert_eq!(names(&inputs), ["x.txt"]);
        assert!(
            rejections.iter().any(|r| r.reason.contains("symlink loop")),
            "{rejections:?}"
        );
    }
}
