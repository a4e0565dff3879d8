package web

import "net/http"

func (s *Server) budgetRoutes(mux *http.ServeMux) {}
