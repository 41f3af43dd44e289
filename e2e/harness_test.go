// Package e2e drives the real balai binary over HTTP and its CLI, against
// SQLite and (when BALAI_TEST_DATABASE_URL is set) PostgreSQL. The shared
// helpers live in this file; each area of the product has its own file.
package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/storetest"
	"github.com/balaidesa/balai/core/tenancy/regions"
)

// AdminPassword is the password of the bootstrap user admin in every test.
const AdminPassword = "admin-password-for-tests"

var (
	binDir   string // where TestMain built the binaries
	balaiBin string
	repoRoot string
)

func TestMain(m *testing.M) {
	code, err := buildAndRun(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func buildAndRun(m *testing.M) (int, error) {
	wd, err := os.Getwd()
	if err != nil {
		return 0, err
	}
	repoRoot = filepath.Dir(wd)
	binDir, err = os.MkdirTemp("", "balai-e2e-bin-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(binDir)
	balaiBin = filepath.Join(binDir, "balai")
	builds := map[string]string{balaiBin: "./cmd/balai", filepath.Join(binDir, "plugins", "hello"): "./examples/hello"}
	for _, pattern := range []string{"plugins/*/main.go", "e2e/testdata/plugins/*/main.go"} {
		mains, _ := filepath.Glob(filepath.Join(repoRoot, pattern))
		for _, m := range mains {
			dir := filepath.Dir(m)
			rel, _ := filepath.Rel(repoRoot, dir)
			builds[filepath.Join(binDir, "plugins", filepath.Base(dir))] = "./" + rel
		}
	}
	for out, pkg := range builds {
		cmd := exec.Command("go", "build", "-o", out, pkg)
		cmd.Dir = repoRoot
		if b, err := cmd.CombinedOutput(); err != nil {
			return 0, fmt.Errorf("building %s: %v\n%s", pkg, err, b)
		}
	}
	return m.Run(), nil
}

// PluginDir returns a fresh directory holding copies of the named plugin
// binaries (hello, the plugins/ modules, the test plugins of testdata).
func PluginDir(t *testing.T, names ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(binDir, "plugins", n))
		if err != nil {
			t.Fatalf("plugin %s was not built: %v", n, err)
		}
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// PluginBinary is the path of a built plugin.
func PluginBinary(name string) string { return filepath.Join(binDir, "plugins", name) }

// Host is a running balai server with its own database.
type Host struct {
	URL     string
	Backend string
	DBURL   string
	DataDir string
	cmd     *exec.Cmd
	stdout  *syncBuffer
	stderr  *syncBuffer
	exited  chan struct{}
	// NoAdminPassword starts the server without BALAI_ADMIN_PASSWORD.
	NoAdminPassword bool
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// EachBackend runs fn as a subtest per database, each with a fresh database
// and no server started (call Start).
func EachBackend(t *testing.T, fn func(t *testing.T, b storetest.Backend)) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) { fn(t, b) })
	}
}

// Each runs fn per database with a started server.
func Each(t *testing.T, fn func(t *testing.T, h *Host)) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		fn(t, Start(t, b))
	})
}

// NewHost prepares a database for backend b without starting a server, so a
// test can use the CLI first.
func NewHost(t *testing.T, b storetest.Backend) *Host {
	u, dir := b.New(t)
	return &Host{Backend: b.Name, DBURL: u, DataDir: dir}
}

// Start prepares a database and starts a server on it.
func Start(t *testing.T, b storetest.Backend, extraArgs ...string) *Host {
	h := NewHost(t, b)
	h.Serve(t, extraArgs...)
	return h
}

// env is the environment of the binaries: nothing inherited but PATH and
// HOME, so a developer's own BALAI_* variables cannot change a test.
func (h *Host) env(extra ...string) []string {
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	if !h.NoAdminPassword {
		env = append(env, "BALAI_ADMIN_PASSWORD="+AdminPassword)
	}
	return append(env, extra...)
}

func (h *Host) dbArgs() []string {
	args := []string{"--data", h.DataDir}
	if h.DBURL != "" {
		args = append(args, "--database", h.DBURL)
	}
	return args
}

var urlRE = regexp.MustCompile(`Balai is running at (http://\S+)`)

// Serve starts balai serve on a free port and waits until it listens.
func (h *Host) Serve(t *testing.T, extraArgs ...string) {
	t.Helper()
	args := append([]string{"serve", "--listen", "127.0.0.1:0"}, h.dbArgs()...)
	args = append(args, extraArgs...)
	h.cmd = exec.Command(balaiBin, args...)
	h.cmd.Dir = h.DataDir
	h.cmd.Env = h.env()
	h.stdout, h.stderr = &syncBuffer{}, &syncBuffer{}
	pr, pw := io.Pipe()
	h.cmd.Stdout = io.MultiWriter(h.stdout, pw)
	h.cmd.Stderr = h.stderr
	if err := h.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	h.exited = make(chan struct{})
	go func() {
		h.cmd.Wait()
		pw.Close()
		close(h.exited)
	}()
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if m := urlRE.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
				break
			}
		}
		io.Copy(io.Discard, pr)
	}()
	select {
	case h.URL = <-found:
	case <-h.exited:
		t.Fatalf("balai serve exited before listening:\nstdout:\n%s\nstderr:\n%s", h.stdout, h.stderr)
	case <-time.After(30 * time.Second):
		h.cmd.Process.Kill()
		t.Fatalf("balai serve did not start in 30s:\n%s", h.stderr)
	}
	t.Cleanup(func() {
		h.Stop(t)
		if t.Failed() {
			t.Logf("server log (%s):\n%s", h.Backend, tail(h.stderr.String(), 60))
		}
	})
}

// Stop sends SIGTERM and waits for a graceful exit.
func (h *Host) Stop(t *testing.T) {
	if h.cmd == nil || h.cmd.Process == nil {
		return
	}
	select {
	case <-h.exited:
		return
	default:
	}
	h.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-h.exited:
	case <-time.After(20 * time.Second):
		h.cmd.Process.Kill()
		t.Errorf("balai serve did not stop within 20s of SIGTERM")
	}
}

// ExitCode waits for the server to exit and returns its exit code.
func (h *Host) ExitCode(t *testing.T) int {
	t.Helper()
	select {
	case <-h.exited:
	case <-time.After(30 * time.Second):
		t.Fatal("balai serve did not exit")
	}
	return h.cmd.ProcessState.ExitCode()
}

// Stdout is what the server printed on standard output so far.
func (h *Host) Stdout() string { return h.stdout.String() }

// Log is what the server logged so far.
func (h *Host) Log() string { return h.stderr.String() }

func tail(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// CLIResult is the outcome of one balai command.
type CLIResult struct {
	Stdout, Stderr string
	Code           int
}

// CLI runs balai with args against this host's database.
func (h *Host) CLI(t *testing.T, stdin string, args ...string) CLIResult {
	t.Helper()
	cmd := exec.Command(balaiBin, append(args, h.dbArgs()...)...)
	cmd.Dir = h.DataDir
	cmd.Env = h.env()
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return CLIResult{Stdout: out.String(), Stderr: errb.String(), Code: code}
}

// MustCLI runs balai and fails the test unless it exits 0.
func (h *Host) MustCLI(t *testing.T, args ...string) CLIResult {
	t.Helper()
	r := h.CLI(t, "", args...)
	if r.Code != 0 {
		t.Fatalf("balai %s: exit %d\n%s%s", strings.Join(args, " "), r.Code, r.Stdout, r.Stderr)
	}
	return r
}

// ImportKampar imports Kabupaten Kampar (14.01) from the shared region list.
func (h *Host) ImportKampar(t *testing.T) {
	t.Helper()
	h.MustCLI(t, "tenant", "import", "--file", WilayahCSV(t), "--under", "14.01")
}

// WilayahCSV is the path of the official region list: the copy built into
// balai, written out once, so that the tests need nothing outside the
// repository.
func WilayahCSV(t *testing.T) string {
	t.Helper()
	wilayahOnce.Do(func() {
		rc, err := regions.Open()
		if err != nil {
			wilayahErr = err
			return
		}
		defer rc.Close()
		wilayahPath = filepath.Join(binDir, "wilayah.csv")
		f, err := os.Create(wilayahPath)
		if err != nil {
			wilayahErr = err
			return
		}
		defer f.Close()
		_, wilayahErr = io.Copy(f, rc)
	})
	if wilayahErr != nil {
		t.Fatalf("writing the region list: %v", wilayahErr)
	}
	return wilayahPath
}

var (
	wilayahOnce sync.Once
	wilayahPath string
	wilayahErr  error
)

// Client talks to a Host as one caller.
type Client struct {
	h     *Host
	Token string
	// from, when set, is the loopback address the client connects from,
	// so that the host sees it as a client of its own (rate limits and
	// per-address counters key on the connection's address).
	from *http.Client
}

// Anon is a client without a token.
func (h *Host) Anon() *Client { return &Client{h: h} }

// AnonFrom is a client without a token connecting from addr, a loopback
// address such as 127.0.0.7: to the host, another citizen's phone.
func (h *Host) AnonFrom(addr string) *Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(addr)}}
	return &Client{h: h, from: &http.Client{Transport: &http.Transport{DialContext: d.DialContext}}}
}

// http is the HTTP client requests of c go through.
func (c *Client) http() *http.Client {
	if c.from != nil {
		return c.from
	}
	return http.DefaultClient
}

// Login logs in and fails the test if it does not succeed.
func (h *Host) Login(t *testing.T, username, password string) *Client {
	t.Helper()
	r := h.Anon().Do(t, "POST", "/api/v1/auth/login", map[string]string{"username": username, "password": password})
	if r.Status != http.StatusOK {
		t.Fatalf("login %s: %d %s", username, r.Status, r.Body)
	}
	return &Client{h: h, Token: r.Str("token")}
}

// Admin logs in as the bootstrap superadmin.
func (h *Host) Admin(t *testing.T) *Client { return h.Login(t, "admin", AdminPassword) }

// Resp is an HTTP answer.
type Resp struct {
	Status int
	Header http.Header
	Body   []byte
	t      *testing.T
}

// Do sends a request; body is JSON-encoded unless it is a string or []byte.
func (c *Client) Do(t *testing.T, method, path string, body any) *Resp {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, c.h.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	res, err := c.http().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return &Resp{Status: res.StatusCode, Header: res.Header, Body: data, t: t}
}

// JSON decodes the body as an object.
func (r *Resp) JSON() map[string]any {
	r.t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		r.t.Fatalf("response is not a JSON object (%d): %s", r.Status, r.Body)
	}
	return m
}

// Str returns a top-level string field.
func (r *Resp) Str(key string) string {
	r.t.Helper()
	s, _ := r.JSON()[key].(string)
	return s
}

// Items returns the items of a list answer.
func (r *Resp) Items() []map[string]any {
	r.t.Helper()
	var l struct {
		Items []map[string]any `json:"items"`
		Total int              `json:"total"`
	}
	if err := json.Unmarshal(r.Body, &l); err != nil || l.Items == nil {
		r.t.Fatalf("response is not a list (%d): %s", r.Status, r.Body)
	}
	return l.Items
}

// Total returns the total of a list answer.
func (r *Resp) Total() int {
	r.t.Helper()
	n, _ := r.JSON()["total"].(float64)
	return int(n)
}

// ErrCode returns error.code of an error answer, failing if the body does
// not have the documented error shape.
func (r *Resp) ErrCode() string {
	r.t.Helper()
	var e struct {
		Error *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(r.Body, &e); err != nil || e.Error == nil || e.Error.Code == "" || e.Error.Message == "" {
		r.t.Fatalf("not the documented error shape (%d): %s", r.Status, r.Body)
	}
	return e.Error.Code
}

// Expect fails the test unless the status is want.
func (r *Resp) Expect(status int) *Resp {
	r.t.Helper()
	if r.Status != status {
		r.t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	return r
}

// ExpectErr fails unless the answer is an error with this status and code.
func (r *Resp) ExpectErr(status int, code string) *Resp {
	r.t.Helper()
	if r.Status != status {
		r.t.Fatalf("status %d, want %d (%s): %s", r.Status, status, code, r.Body)
	}
	if got := r.ErrCode(); got != code {
		r.t.Fatalf("error code %q, want %q: %s", got, code, r.Body)
	}
	return r
}

// CreateUser makes a user through the API as c and returns its client.
func (c *Client) CreateUser(t *testing.T, username string) (*Client, string) {
	t.Helper()
	password := username + "-password-1"
	c.Do(t, "POST", "/api/v1/users", map[string]string{"username": username, "password": password, "full_name": strings.ToUpper(username)}).Expect(http.StatusCreated)
	return c.h.Login(t, username, password), password
}

// Grant sets username's roles in tenant as c, expecting success.
func (c *Client) Grant(t *testing.T, tenant, username string, roles ...string) {
	t.Helper()
	c.Do(t, "PUT", "/api/v1/tenants/"+tenant+"/members/"+username, map[string]any{"roles": roles}).Expect(http.StatusOK)
}

// parallel runs do for i in [0, n) at once, released together so that the
// calls race, and returns their results index by index.
func parallel[T any](n int, do func(i int) T) []T {
	out := make([]T, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			out[i] = do(i)
		}()
	}
	close(start)
	wg.Wait()
	return out
}
