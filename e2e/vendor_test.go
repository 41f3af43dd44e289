package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/storetest"
)

// The vendor's journey (issue 10, "Proof"): a plugin in a module of its
// own, outside the repository, written as the guide says (testdata/vendor/
// posyandu), is built against the SDK module alone, tested with the kit,
// and loaded by the real host.
func TestVendorJourney(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the vendor's journey needs the go command on PATH to build the vendor's module")
	}
	mod := vendorModule(t)

	// The plugin's build pulls the SDK module and nothing of the host: no
	// other package of the repository's modules, no ORM, no policy engine,
	// no database driver.
	deps := goCmd(t, mod, "list", "-deps", "-f", "{{.ImportPath}} {{with .Module}}{{.Path}}{{end}}", ".")
	forbidden := []string{"gorm.io/", "github.com/casbin/", "github.com/jackc/", "github.com/glebarez/", "modernc.org/sqlite",
		"github.com/go-sql-driver/", "github.com/microsoft/go-mssqldb", "github.com/lib/pq"}
	sdkPackages := 0
	for _, line := range strings.Split(strings.TrimSpace(deps), "\n") {
		pkg, module, _ := strings.Cut(line, " ")
		if strings.HasPrefix(pkg, "github.com/balaidesa/balai") {
			if module != "github.com/balaidesa/balai/sdk" {
				t.Errorf("the plugin's build pulls %s of module %s; only the SDK module may be", pkg, module)
			}
			sdkPackages++
		}
		for _, f := range forbidden {
			if strings.HasPrefix(pkg, f) {
				t.Errorf("the plugin's build pulls %s", pkg)
			}
		}
	}
	if sdkPackages == 0 {
		t.Fatalf("go list shows no SDK package:\n%s", deps)
	}

	bin := filepath.Join(t.TempDir(), "posyandu")
	goCmd(t, mod, "build", "-o", bin, ".")
	start := time.Now()
	out := goCmd(t, mod, "test", "-count=1", "./...")
	t.Logf("the vendor's go test with the kit took %v: %s", time.Since(start).Round(time.Second), strings.TrimSpace(out))

	// The real host loads the built binary and serves its routes.
	b := storetest.Backends(t)[0] // SQLite: the journey is about the build, not the database
	h := NewHost(t, b)
	h.MustCLI(t, "tenant", "import", "--file", WilayahCSV(t), "--under", "14.01")
	dir := t.TempDir()
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "posyandu"), data, 0o755); err != nil {
		t.Fatal(err)
	}
	h.Serve(t, "--plugins", dir)
	admin := h.Admin(t)
	admin.Do(t, "PUT", "/api/v1/tenants/14.01/modules/posyandu", map[string]bool{"enabled": true}).Expect(200)
	op, _ := admin.CreateUser(t, "kader-a")
	admin.Grant(t, villageA, "kader-a", "operator")
	visit := op.Do(t, "POST", p(villageA, "posyandu", "/visits"), map[string]any{"child_nik": "1401010101200001", "child_name": "Ayu", "weight_kg": 9.5}).Expect(201).JSON()
	id, _ := visit["id"].(string)
	op.Do(t, "GET", p(villageA, "posyandu", "/visits/"+id), nil).Expect(200)
	op.Do(t, "POST", p(villageA, "posyandu", "/visits"), map[string]any{"child_nik": "1401", "child_name": "Ayu", "weight_kg": 9.5}).ExpectErr(422, "invalid")
	roll := admin.Do(t, "GET", p("14.01", "posyandu", "/rollup"), nil).Expect(200).JSON()
	if got := fmt.Sprint(roll["villages"]); !strings.Contains(got, villageA) || !strings.Contains(got, "visits:1") {
		t.Errorf("district roll-up %s, want one visit in %s", got, villageA)
	}
	plugins := admin.Do(t, "GET", "/api/v1/plugins", nil).Expect(200).Body
	if !strings.Contains(string(plugins), `"posyandu"`) {
		t.Errorf("GET /api/v1/plugins does not list posyandu: %s", plugins)
	}
}

// vendorModule writes the vendor's module into a fresh directory outside
// the repository: the plugin's sources, and the go.mod the vendor guide
// shows for building before the SDK's release is tagged (replace lines to
// a checkout; the host's module is replaced too, for the kit's host). Its
// go.sum is the repository's, which covers every dependency.
func vendorModule(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(repoRoot, "e2e", "testdata", "vendor", "posyandu")
	for _, f := range []string{"main.go", "main_test.go"} {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gomod := fmt.Sprintf(`module example.com/posyandu

go 1.26.8

require (
	github.com/balaidesa/balai/sdk v1.0.0
	github.com/balaidesa/balai/sdk/sdktest v1.0.0
)

replace (
	github.com/balaidesa/balai/sdk => %[1]s/sdk
	github.com/balaidesa/balai/sdk/sdktest => %[1]s/sdk/sdktest
	github.com/balaidesa/balai => %[1]s
)
`, repoRoot)
	var sums []string
	for _, f := range []string{"go.sum", "sdk/go.sum", "sdk/sdktest/go.sum"} {
		b, err := os.ReadFile(filepath.Join(repoRoot, f))
		if err != nil {
			t.Fatal(err)
		}
		sums = append(sums, strings.Split(strings.TrimSpace(string(b)), "\n")...)
	}
	slices.Sort(sums)
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), []byte(strings.Join(slices.Compact(sums), "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// goCmd runs the go command in dir as a vendor's machine would, but
// offline: every dependency comes from the module cache, and go.mod may
// gain the indirect requirements the vendor's `go mod tidy` would add.
func goCmd(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOSUMDB=off", "GOWORK=off", "GOTOOLCHAIN=local")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go %s in the vendor's module: %v\n%s%s", strings.Join(args, " "), err, out, stderr.String())
	}
	return string(out)
}

// previousSDK is the last commit before SDK v1 (wire protocol 3, the SDK
// still a package of the host's module): the release whose plugins v1's
// host must go on loading.
const previousSDK = "87bdd6e"

// A plugin built against the previous SDK release loads in today's host
// and serves its routes: v1 kept wire protocol 3, adding fields only. The
// example plugin of that release is built from the repository's history.
func TestPluginOfThePreviousSDKLoads(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("needs git to take the previous SDK release from the history")
	}
	if err := exec.Command("git", "-C", repoRoot, "cat-file", "-e", previousSDK+"^{commit}").Run(); err != nil {
		t.Skipf("the previous SDK release (%s) is not in this clone's history (a shallow clone?)", previousSDK)
	}
	src := t.TempDir()
	archive := exec.Command("sh", "-c", `git -C "$1" archive "$2" go.mod go.sum sdk examples/hello | tar -x -C "$3"`, "sh", repoRoot, previousSDK, src)
	if out, err := archive.CombinedOutput(); err != nil {
		t.Fatalf("taking %s from the history: %v\n%s", previousSDK, err, out)
	}
	bin := filepath.Join(t.TempDir(), "hello")
	build := exec.Command("go", "build", "-o", bin, "./examples/hello")
	build.Dir = src
	// The old module's dependencies may not all be in the cache: let the
	// go command fetch what it lacks, checked against the old go.sum.
	build.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOTOOLCHAIN=local")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building hello with the SDK of %s: %v\n%s", previousSDK, err, out)
	}

	h := NewHost(t, storetest.Backends(t)[0])
	h.MustCLI(t, "tenant", "import", "--file", WilayahCSV(t), "--under", "14.01")
	dir := t.TempDir()
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "hello"), data, 0o755); err != nil {
		t.Fatal(err)
	}
	h.Serve(t, "--plugins", dir)
	admin := h.Admin(t)
	admin.Do(t, "PUT", "/api/v1/tenants/14.01/modules/hello", map[string]bool{"enabled": true}).Expect(200)
	op, _ := admin.CreateUser(t, "siti")
	admin.Grant(t, villageA, "siti", "operator")
	if g := op.Do(t, "GET", p(villageA, "hello", "/greeting"), nil).Expect(200).JSON(); g["tenant"] != villageA {
		t.Errorf("the previous release's hello greets %v, want tenant %s", g, villageA)
	}
	op.Do(t, "POST", p(villageA, "hello", "/notes"), map[string]string{"text": "rapat desa"}).Expect(201)
	if n := len(op.Do(t, "GET", p(villageA, "hello", "/notes"), nil).Expect(200).Items()); n != 1 {
		t.Errorf("the previous release's hello lists %d notes, want 1", n)
	}
}
