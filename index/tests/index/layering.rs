//! The index crate's modules import one another without cycles: a module that needs
//! another's types sits above it (read from the sources' `use crate::…`/`use super::…`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("the source directory") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// A file's module path: `search/count.rs` → `search::count`, `search/mod.rs` → `search`.
fn module_of(root: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(root).expect("under src");
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts.join("::")
}

/// The modules (of `known`) a file's non-test code imports.
fn imports(module: &str, text: &str, known: &BTreeSet<String>) -> BTreeSet<String> {
    let code: String = text
        .split("#[cfg(test)]")
        .next()
        .unwrap_or_default()
        .lines()
        .filter(|line| !line.trim_start().starts_with("//") && !line.trim_start().starts_with("#"))
        .collect::<Vec<_>>()
        .join("\n");
    let parent: Vec<&str> = if module.is_empty() {
        Vec::new()
    } else {
        let mut parts: Vec<&str> = module.split("::").collect();
        parts.pop();
        parts
    };
    let mut found = BTreeSet::new();
    for statement in code.split(';') {
        let statement = statement.trim();
        let Some(path) = statement
            .strip_prefix("use ")
            .or_else(|| statement.strip_prefix("pub use "))
        else {
            continue;
        };
        let absolute = if let Some(rest) = path.strip_prefix("crate::") {
            rest.to_string()
        } else if let Some(rest) = path.strip_prefix("super::") {
            let mut full = parent.join("::");
            if !full.is_empty() {
                full.push_str("::");
            }
            full.push_str(rest);
            full
        } else {
            continue;
        };
        // Expand `a::{b, c::d}` one level, then take the longest known module prefix.
        let (head, tail) = match absolute.split_once('{') {
            Some((head, tail)) => (head.to_string(), tail.trim_end_matches('}').to_string()),
            None => (absolute.clone(), String::new()),
        };
        let candidates: Vec<String> = if tail.is_empty() {
            vec![head]
        } else {
            tail.split(',')
                .map(|item| format!("{head}{}", item.trim()))
                .collect()
        };
        for candidate in candidates {
            let segments: Vec<&str> = candidate.split("::").collect();
            for n in (1..=segments.len()).rev() {
                let prefix = segments[..n].join("::");
                if known.contains(&prefix) {
                    if prefix != module && !module.starts_with(&format!("{prefix}::")) {
                        found.insert(prefix);
                    }
                    break;
                }
            }
        }
    }
    found
}

#[test]
fn modules_import_each_other_without_cycles() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    let known: BTreeSet<String> = files.iter().map(|f| module_of(&root, f)).collect();
    let graph: BTreeMap<String, BTreeSet<String>> = files
        .iter()
        .map(|f| {
            let module = module_of(&root, f);
            let text = std::fs::read_to_string(f).expect("a source file");
            let edges = imports(&module, &text, &known);
            (module, edges)
        })
        .collect();
    assert!(graph["search::count"].contains("search::bits"), "{graph:?}");

    // Depth-first search for a cycle, reporting it whole.
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            // A parent module re-exporting its children is not a cycle.
            if next.starts_with(&format!("{node}::")) {
                continue;
            }
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for module in graph.keys() {
        if let Some(cycle) = visit(module, &graph, &mut Vec::new(), &mut done) {
            panic!("import cycle: {}", cycle.join(" → "));
        }
    }

    // The same between the crate's top-level modules (`search::count` counts as `search`):
    // `store` may not import from `search` while `search` imports `store`.
    let top = |module: &str| module.split("::").next().unwrap_or_default().to_string();
    let mut coarse: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, edges) in &graph {
        let from = top(module);
        let targets = coarse.entry(from.clone()).or_default();
        targets.extend(
            edges
                .iter()
                .map(|e| top(e))
                .filter(|t| *t != from && !t.is_empty()),
        );
    }
    let mut done = BTreeSet::new();
    for module in coarse.keys() {
        if let Some(cycle) = visit(module, &coarse, &mut Vec::new(), &mut done) {
            panic!(
                "import cycle between top-level modules: {}",
                cycle.join(" → ")
            );
        }
    }
}
