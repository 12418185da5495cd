package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"utlamnande/processor/internal/testrepo"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"processor": func() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs testdata/script/*.txtar: each script works in a fresh repository with the
// project's real settings and templates, and adds its own cases.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Cmds:                scriptCmds,
		Setup: func(env *testscript.Env) error {
			return testrepo.Make(env.WorkDir, "")
		},
	})
}

// TestGitScripts runs testdata/git/*.txtar: real git repositories with the hooks installed,
// where `git commit` runs hooks/pre-commit, which runs this test binary as the processor.
func TestGitScripts(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	var goCache string
	if out, err := exec.Command("go", "env", "GOCACHE").Output(); err == nil {
		goCache = strings.TrimSpace(string(out))
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/git",
		RequireExplicitExec: true,
		Cmds:                scriptCmds,
		Setup: func(env *testscript.Env) error {
			if err := testrepo.Make(env.WorkDir, ""); err != nil {
				return err
			}
			root := testrepo.Root()
			for _, f := range []string{"hooks", ".gitignore"} {
				if err := testrepo.CopyTree(filepath.Join(root, f), filepath.Join(env.WorkDir, f)); err != nil {
					return err
				}
			}
			// A raw export as LibreOffice writes it, for the scripts that try to commit one.
			if err := testrepo.CopyTree(filepath.Join(root, "processor/internal/export/testdata/libreoffice.xlsx"), filepath.Join(env.WorkDir, "raw-export.xlsx")); err != nil {
				return err
			}
			home := filepath.Join(env.WorkDir, ".home")
			env.Setenv("HOME", home)
			if goCache != "" {
				env.Setenv("GOCACHE", goCache) // the hook may build (hookbuild.txtar): a warm cache
			}
			env.Setenv("GIT_CONFIG_NOSYSTEM", "1")
			env.Setenv("GIT_AUTHOR_NAME", "Rita Registrator")
			env.Setenv("GIT_AUTHOR_EMAIL", "rita.registrator@region.example")
			env.Setenv("GIT_COMMITTER_NAME", "Rita Registrator")
			env.Setenv("GIT_COMMITTER_EMAIL", "rita.registrator@region.example")
			return os.MkdirAll(home, 0o755)
		},
	})
}
