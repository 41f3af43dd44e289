package sdktest_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/sdktest"
)

// Request.VillagesWith against a real host: a regency counts the villages
// below with the module on (one village has it off), names its districts,
// a district counts its own villages and names none, a village counts
// itself; another module's name finds no village.
func TestVillagesWith(t *testing.T) {
	type answer struct {
		Villages  []string          `json:"villages"`
		Parents   []string          `json:"parents"`
		Districts map[string]string `json:"districts"`
	}
	p := &sdk.Plugin{ID: "rollup", Version: "1",
		Permissions: []sdk.Permission{{Name: "rollup.villages.read", Roles: []string{"viewer"}}},
		Routes: []sdk.Route{{Method: "GET", Path: "/villages", Permission: "rollup.villages.read", Handler: sdk.Func(func(r *http.Request) (int, any, error) {
			vs, ds, err := sdk.From(r).VillagesWith(r.Context(), r.URL.Query().Get("module"))
			if err != nil {
				return 0, nil, err
			}
			a := answer{Villages: []string{}, Parents: []string{}, Districts: ds}
			for _, v := range vs {
				a.Villages = append(a.Villages, v.Code)
				a.Parents = append(a.Parents, v.Parent)
			}
			return http.StatusOK, a, nil
		})}},
	}
	sdktest.Each(t, p, func(t *testing.T, h *sdktest.Host) {
		for _, v := range []string{"14.01.02.2001", "14.01.01.2002", "14.01.01.2001", "14.01.01.2003"} {
			h.Tenant(v)
		}
		h.Enable("14.01")
		h.Disable("14.01.01.2002")
		for _, tt := range []struct {
			name, tenant, module string
			villages, parents    []string
			districts            map[string]string
		}{
			{"a regency", "14.01", "rollup", []string{"14.01.01.2001", "14.01.01.2003", "14.01.02.2001"}, []string{"14.01.01", "14.01.01", "14.01.02"},
				map[string]string{"14.01.01": "Tenant 14.01.01", "14.01.02": "Tenant 14.01.02"}},
			{"a district", "14.01.01", "rollup", []string{"14.01.01.2001", "14.01.01.2003"}, []string{"14.01.01", "14.01.01"}, map[string]string{}},
			{"a village", "14.01.01.2003", "rollup", []string{"14.01.01.2003"}, []string{"14.01.01"}, map[string]string{}},
			{"another module", "14.01", "other", []string{}, []string{}, map[string]string{"14.01.01": "Tenant 14.01.01", "14.01.02": "Tenant 14.01.02"}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				user := "u" + strings.ReplaceAll(tt.tenant, ".", "") + tt.module
				res := h.User(user, "viewer", tt.tenant).Get(tt.tenant, "/villages?module="+tt.module)
				if res.Status != http.StatusOK {
					t.Fatalf("status %d: %s", res.Status, res.Body)
				}
				var got answer
				res.JSON(&got)
				if !slices.Equal(got.Villages, tt.villages) || !slices.Equal(got.Parents, tt.parents) || len(got.Districts) != len(tt.districts) {
					t.Fatalf("got %+v, want villages %v (parents %v), districts %v", got, tt.villages, tt.parents, tt.districts)
				}
				for code, name := range tt.districts {
					if got.Districts[code] != name {
						t.Errorf("district %s named %q, want %q", code, got.Districts[code], name)
					}
				}
			})
		}
	})
}
