package main

import (
	"os"
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
		Setup: func(env *testscript.Env) error {
			return testrepo.Make(env.WorkDir, "")
		},
	})
}
