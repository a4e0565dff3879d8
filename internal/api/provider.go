package api

func (s *server) providerRoutes() {}
