package api

import (
	"net/http/httptest"
	"testing"

	"github.com/balaidesa/balai/core/apierr"
)

func TestCheckRequestText(t *testing.T) {
	tests := []struct {
		target, code string // code "" = let through
	}{
		{"/api/v1/tenants/14.01?parent=14&page=2", ""},
		{"/api/v1/t/14.01/marketplace/catalogue?q=keripik%20nenas%20%C3%A9", ""},
		{"/api/v1/t/14.01/population/residents?q=Siti+Aminah&sex=P", ""},
		{"/api/v1/users/%C3%A9", ""},
		{"/api/v1/t/14.01/marketplace/catalogue?q=a%00b", "invalid_text"},
		{"/api/v1/t/14.01/marketplace/catalogue?q=%FF", "invalid_text"},
		{"/api/v1/t/14.01/marketplace/catalogue?q=%C3", "invalid_text"},
		{"/api/v1/t/14.01/population/residents?q=%1B%5B2J", "invalid_text"},
		{"/api/v1/t/14.01/population/residents?q=a%0Ab", "invalid_text"},
		{"/api/v1/t/14.01/population/residents?q=%C2%85", "invalid_text"},
		{"/api/v1/t/14.01/population/residents?na%00me=x", "invalid_text"},
		{"/api/v1/users/ad%00min", "invalid_text"},
		{"/api/v1/tenants/14%FF", "invalid_text"},
		{"/api/v1/tenants/14%0D%0A", "invalid_text"},
		{"/api/v1/tenants?parent=%zz", "invalid_query"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			err := checkRequestText(httptest.NewRequest("GET", tt.target, nil))
			if tt.code == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if e, ok := apierr.As(err); !ok || e.Status != 400 || e.Code != tt.code {
				t.Fatalf("got %v, want 400 %s", err, tt.code)
			}
		})
	}
}
