package web

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/rbac"
	"github.com/balaidesa/balai/core/tenancy"
	"github.com/balaidesa/balai/core/tenancy/regions"
)

// job is a region import running in the background, watched from a page
// that reloads itself (no JavaScript needed).
type job struct {
	mu          sync.Mutex
	ID, Owner   string
	Region      string
	Done, Total int
	Finished    bool
	Err         string
	Result      *tenancy.ImportResult
	// Next is where the finished job's page leads.
	Next    string
	started time.Time
}

// jobView is a consistent copy for the template.
type jobView struct {
	ID, Region, Err, Next string
	Done, Total, Percent  int
	Finished              bool
	Result                *tenancy.ImportResult
}

type jobs struct {
	mu sync.Mutex
	m  map[string]*job
}

func newJobs() *jobs { return &jobs{m: map[string]*job{}} }

func (j *jobs) add(jb *job) {
	j.mu.Lock()
	defer j.mu.Unlock()
	// Forget jobs finished over an hour ago.
	for id, o := range j.m {
		o.mu.Lock()
		old := o.Finished && time.Since(o.started) > time.Hour
		o.mu.Unlock()
		if old {
			delete(j.m, id)
		}
	}
	j.m[jb.ID] = jb
}

func (j *jobs) get(id string) *job {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.m[id]
}

// startImport checks the caller may import (tenants.write everywhere, as
// core/admin.ImportTenants demands) and that code is a regency, then runs
// the import in the background and returns the job id.
func (s *Server) startImport(q *rq, code, next string) (string, error) {
	if err := s.cfg.Admin.Require(q.actor(), rbac.Global, rbac.TenantsWrite); err != nil {
		return "", err
	}
	lvl, _, err := tenancy.ParseCode(code)
	if err != nil {
		return "", err
	}
	if lvl != tenancy.Regency {
		return "", apierr.Invalid("not_a_regency", "%s is not a regency code (such as 14.01)", code)
	}
	jb := &job{ID: randomToken()[:16], Owner: q.id.Username, Region: code, Next: next, started: time.Now()}
	s.jobs.add(jb)
	a, lang := q.actor(), q.lang
	go func() {
		var res *tenancy.ImportResult
		rc, err := regions.Open()
		if err == nil {
			defer rc.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
			defer cancel()
			res, err = s.cfg.Admin.ImportTenants(ctx, a, rc, regions.Name, []string{code}, func(done, total int) {
				jb.mu.Lock()
				jb.Done, jb.Total = done, total
				jb.mu.Unlock()
			})
		}
		jb.mu.Lock()
		defer jb.mu.Unlock()
		jb.Finished, jb.Result = true, res
		if err != nil {
			jb.Err = errText(err)
			if e, ok := apierr.As(err); ok && lang == LangID {
				if m, ok := codeMessages[e.Code]; ok {
					jb.Err = m
				}
			}
			if _, ok := apierr.As(err); !ok {
				s.cfg.Logger.Error("region import failed", "region", code, "err", err)
				jb.Err = fmt.Sprintf("%v", err)
			}
		}
	}()
	return jb.ID, nil
}

// jobPage shows an import's progress to the user who started it.
func (s *Server) jobPage(q *rq) {
	jb := s.jobs.get(q.r.PathValue("id"))
	if jb == nil || jb.Owner != q.id.Username {
		s.fail(q, notFound())
		return
	}
	jb.mu.Lock()
	v := jobView{ID: jb.ID, Region: jb.Region, Err: jb.Err, Next: jb.Next, Done: jb.Done, Total: jb.Total, Finished: jb.Finished, Result: jb.Result}
	jb.mu.Unlock()
	if v.Total > 0 {
		v.Percent = v.Done * 100 / v.Total
	}
	if v.Finished && v.Err == "" {
		v.Percent = 100
	}
	view := s.newView(q, q.T("job.title"))
	view.Data = v
	if !v.Finished {
		view.Refresh = 1
	}
	s.write(q, http.StatusOK, "job", view)
}
