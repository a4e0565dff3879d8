package web

import "net/http"

func (s *Server) marketPortalRoutes(mux *http.ServeMux) {}
