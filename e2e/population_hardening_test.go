package e2e

import (
	"fmt"
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
