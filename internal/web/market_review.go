package web

import "net/http"

func (s *Server) marketReviewRoutes(mux *http.ServeMux) {}
