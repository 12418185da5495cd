// Package testrepo makes case repositories for tests: a folder with the project's own
// settings file and templates (the real ones are under test) and the cases a test brings.
package testrepo

import (
	"os"
	"path/filepath"
	"runtime"

	"utlamnande/processor/internal/settings"
)

// Root is the project's root folder, found from this file's place in it.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..")
}

// Make fills dir with the project's installningar.yaml and templates/, and copies the folder
// cases (if not "") to dir/cases.
func Make(dir, cases string) error {
	root := Root()
	if err := CopyTree(filepath.Join(root, "installningar.yaml"), filepath.Join(dir, "installningar.yaml")); err != nil {
		return err
	}
	if err := CopyTree(filepath.Join(root, "templates"), filepath.Join(dir, "templates")); err != nil {
		return err
	}
	if cases == "" {
		return nil
	}
	return copyTree(cases, filepath.Join(dir, "cases"), settings.DefaultWorkArea)
}

// CopyTree copies the file or folder src to dst.
func CopyTree(src, dst string) error {
	return copyTree(src, dst, "")
}

// copyTree copies src to dst, leaving out folders named skip (if not ""): the cases' working
// areas, which exist in the checkout only after make demo, so that a test sees the same
// repository on a fresh clone as after a demo run.
func copyTree(src, dst, skip string) error {
	return filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			if skip != "" && d.Name() == skip && p != src {
				return filepath.SkipDir
			}
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}
