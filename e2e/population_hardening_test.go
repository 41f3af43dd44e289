package e2e

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/balaidesa/balai/core/storetest"
)

// parallel sends n requests at once (released together) and returns their
// statuses and bodies, index by index; send makes request i.
func parallel(n int, send func(i int) (int, []byte, error)) ([]int, []string) {
	statuses, bodies := make([]int, n), make([]string, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			st, body, err := send(i)
			if err != nil {
				body = []byte(err.Error())
			}
			statuses[i], bodies[i] = st, string(body)
		}()
	}
	close(start)
	wg.Wait()
	return statuses, bodies
}

// countStatuses counts the answers by status.
func countStatuses(statuses []int) map[int]int {
	m := map[int]int{}
	for _, s := range statuses {
		m[s]++
	}
	return m
}

// A hundred wrong guesses at once about one citizen's mother's name: the
// village compares exactly five of them, refuses the rest before comparing
// anything, and the right answer from the same caller waits too.
func TestPopulationVerifyLockoutUnderConcurrency(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"population"})
		w.enable(t, "14.01", "population", true)
		w.op.Do(t, "POST", p(villageA, "population", "/residents"), budi).Expect(201)
		w.op.Do(t, "POST", p(villageA, "population", "/residents"), sari).Expect(201)
		const n = 100
		statuses, bodies := parallel(n, func(i int) (int, []byte, error) {
			return raw(w.h.Anon(), "POST", p(villageA, "population", "/verify"),
				map[string]string{"nik": budi["nik"], "kk": budi["kk"], "mother_name": fmt.Sprintf("Tebakan %d", i)}, nil)
		})
		got := countStatuses(statuses)
		if got[404] != 5 || got[429] != n-5 {
			t.Errorf("%d parallel wrong guesses answered %v, want 5×404 and %d×429", n, got, n-5)
			for i, s := range statuses {
				if s != 404 && s != 429 {
					t.Errorf("guess %d: %d %s", i, s, bodies[i])
				}
			}
		}
		w.h.Anon().Do(t, "POST", p(villageA, "population", "/verify"),
			map[string]string{"nik": budi["nik"], "kk": budi["kk"], "mother_name": budi["mother_name"]}).ExpectErr(429, "too_many_attempts")
		// Another citizen is not locked by the guesses about Budi.
		w.h.Anon().Do(t, "POST", p(villageA, "population", "/verify"),
			map[string]string{"nik": sari["nik"], "kk": sari["kk"], "mother_name": sari["mother_name"]}).Expect(200)
		// Right answers give their try back: many in a row never lock.
		for range 8 {
			w.h.Anon().Do(t, "POST", p(villageA, "population", "/verify"),
				map[string]string{"nik": sari["nik"], "kk": sari["kk"], "mother_name": sari["mother_name"]}).Expect(200)
		}
	})
}

// A citizen's online requests wait for the village five at a time, however
// many arrive at once: thirty parallel submissions never leave more than
// five waiting, and a decision frees a place.
func TestServicesOnlineWaitingLimitUnderConcurrency(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := servicesWorld(t, b)
		citizen := map[string]any{"type": "domisili", "nik": budi["nik"], "kk": budi["kk"], "mother_name": budi["mother_name"], "purpose": "melamar pekerjaan"}
		const n = 30
		statuses, bodies := parallel(n, func(i int) (int, []byte, error) {
			return raw(w.h.Anon(), "POST", p(villageA, "services", "/public/requests"), citizen, nil)
		})
		for i, s := range statuses {
			// Checks beyond five at once from one address wait too
			// (too_many_attempts): they are never compared.
			if s != 201 && !(s == 429 && (strings.Contains(bodies[i], `"too_many_requests"`) || strings.Contains(bodies[i], `"too_many_attempts"`))) {
				t.Errorf("submission %d: %d %s", i, s, bodies[i])
			}
		}
		waitingOnline := func() int {
			return w.op.Do(t, "GET", p(villageA, "services", "/requests?state=submitted&limit=100"), nil).Expect(200).Total()
		}
		if got := countStatuses(statuses)[201]; got > 5 || waitingOnline() != got {
			t.Fatalf("%d parallel submissions: %d created, %d waiting, want at most 5", n, got, waitingOnline())
		}
		// Sequentially, the places left fill up, and no more.
		for waitingOnline() < 5 {
			w.h.Anon().Do(t, "POST", p(villageA, "services", "/public/requests"), citizen).Expect(201)
		}
		w.h.Anon().Do(t, "POST", p(villageA, "services", "/public/requests"), citizen).ExpectErr(429, "too_many_requests")
		// A rejection frees one place: one of five parallel submissions gets it.
		first := w.op.Do(t, "GET", p(villageA, "services", "/requests?state=submitted&limit=1"), nil).Expect(200).Items()[0]["id"].(string)
		w.op.Do(t, "POST", p(villageA, "services", "/requests/"+first+"/reject"), map[string]string{"reason": "ganda"}).Expect(200)
		statuses, bodies = parallel(5, func(i int) (int, []byte, error) {
			return raw(w.h.Anon(), "POST", p(villageA, "services", "/public/requests"), citizen, nil)
		})
		if got := countStatuses(statuses); got[201] != 1 || got[429] != 4 {
			t.Errorf("five submissions for one free place: %v %v", got, bodies)
		}
		if n := waitingOnline(); n != 5 {
			t.Errorf("%d online requests waiting, want 5", n)
		}
	})
}
