package web

import (
	"encoding/csv"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/balaidesa/balai/core/rbac"
	"github.com/balaidesa/balai/core/tenancy"
	"github.com/balaidesa/balai/core/tenancy/regions"
)

// region is a province or regency of the embedded list.
type region struct{ Code, Name string }

var (
	regionsOnce sync.Once
	provinces   []region
	regencies   map[string][]region // by province code
	regionsErr  error
)

// loadRegions reads the provinces and regencies of the embedded list once.
func loadRegions() error {
	regionsOnce.Do(func() {
		rc, err := regions.Open()
		if err != nil {
			regionsErr = err
			return
		}
		defer rc.Close()
		regencies = map[string][]region{}
		r := csv.NewReader(rc)
		r.FieldsPerRecord = -1
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				regionsErr = err
				return
			}
			if len(rec) < 2 || rec[0] == "kode" {
				continue
			}
			switch strings.Count(rec[0], ".") {
			case 0:
				provinces = append(provinces, region{rec[0], rec[1]})
			case 1:
				p := rec[0][:strings.IndexByte(rec[0], '.')]
				regencies[p] = append(regencies[p], region{rec[0], rec[1]})
			}
		}
		sort.Slice(provinces, func(i, j int) bool { return provinces[i].Code < provinces[j].Code })
	})
	return regionsErr
}

// setupForm is the wizard's first steps: the province, then the regency.
func (s *Server) setupForm(q *rq) {
	if err := s.cfg.Admin.Require(q.actor(), rbac.Global, rbac.TenantsWrite); err != nil {
		s.fail(q, err)
		return
	}
	if err := loadRegions(); err != nil {
		s.fail(q, err)
		return
	}
	prov := q.r.URL.Query().Get("province")
	data := map[string]any{"Provinces": provinces, "Province": prov}
	if prov != "" {
		regs, ok := regencies[prov]
		if !ok {
			s.fail(q, notFound())
			return
		}
		data["Regencies"] = regs
	}
	s.render(q, http.StatusOK, "setup", q.T("setup.title"), data)
}

// setupPost imports the chosen regency; its progress page leads on to the
// modules step.
func (s *Server) setupPost(q *rq) {
	code := strings.TrimSpace(form(q).Get("regency"))
	id, err := s.startImport(q, code, "/console/setup/modules?regency="+url.QueryEscape(code))
	if err != nil {
		s.fail(q, err)
		return
	}
	http.Redirect(q.w, q.r, "/console/jobs/"+id, http.StatusSeeOther)
}

// setupModules offers the loaded modules to enable for the regency.
func (s *Server) setupModules(q *rq) {
	code := q.r.URL.Query().Get("regency")
	t, err := tenancy.Get(s.cfg.Host.DB.WithContext(q.r.Context()), code)
	if err != nil {
		s.fail(q, err)
		return
	}
	if err := s.cfg.Admin.Require(q.actor(), code, rbac.ModulesWrite); err != nil {
		s.fail(q, err)
		return
	}
	s.render(q, http.StatusOK, "setup_modules", q.T("setup.title"), map[string]any{"Regency": t, "Modules": s.moduleRows(q, code)})
}

// setupModulesPost enables the chosen modules for the regency and ends the
// wizard on its dashboard.
func (s *Server) setupModulesPost(q *rq) {
	f := form(q)
	code := f.Get("regency")
	if _, err := tenancy.Get(s.cfg.Host.DB.WithContext(q.r.Context()), code); err != nil {
		s.fail(q, err)
		return
	}
	for _, id := range f["modules"] {
		if err := s.setModule(q, code, id, "enable"); err != nil {
			s.fail(q, err)
			return
		}
	}
	s.back(q, "/console/"+code+"/", "success", q.T("setup.done"))
}
