// Command benchrepo makes a git repository that looks like a case catalogue with a long
// history, for benchmarks of history reading (the audit) and of hooks: the project's
// installningar.yaml and templates/ in the first commit, then N e-postlogg cases that advance
// one step per commit, interleaved, signed by the people in installningar.yaml, with rising
// dates; optionally K approvals made by a reviewer on short side branches and merged with
// --no-ff. The result is packed by git repack -adf, has a commit-graph and (unless
// -worktree=false) a checked-out work tree and index. Deterministic for a given seed.
// Fictitious data. 10,000 cases and 20,000 commits take about 25 s, most of it git repack.
//
// Usage:
//
//	go run ./processor/scripts/benchrepo [-cases N] [-commits M] [-merges K] [-seed S] [-src ROOT] [-worktree=false] [-v] DIR
//	go run ./processor/scripts/benchrepo log [-rev REV] [-v] [-cpuprofile FILE] DIR FOLDER
//
// The log form prints the hashes of the commits history.FolderCommits lists for FOLDER,
// one a line, as `git log --format=%H REV -- FOLDER` does; for bench-audit.sh.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	var err error
	if len(os.Args) > 1 && os.Args[1] == "log" {
		err = runLog(os.Args[2:])
	} else {
		err = runGenerate(os.Args[1:])
	}
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchrepo:", err)
		os.Exit(1)
	}
}

// findRoot returns the nearest folder at or above the working directory that holds go.mod.
func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("hittar ingen go.mod ovanför arbetsmappen: ange -src")
		}
		dir = parent
	}
}
