package e2e

import (
	"net/http"
	"testing"
)

func TestSmoke(t *testing.T) {
	Each(t, func(t *testing.T, h *Host) {
		h.Anon().Do(t, "GET", "/healthz", nil).Expect(http.StatusOK)
		h.ImportKampar(t)
		admin := h.Admin(t)
		r := admin.Do(t, "GET", "/api/v1/tenants?parent=14.01", nil).Expect(http.StatusOK)
		if r.Total() != 21 {
			t.Fatalf("Kampar has %d sub-districts, want 21", r.Total())
		}
	})
}
