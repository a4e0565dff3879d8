package api

func (s *server) requestRoutes() {}
