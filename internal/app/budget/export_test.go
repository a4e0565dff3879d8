package budget

// FailAfterEntries makes every movement of s fail after writing n of its
// entries (0: never), in the movement's transaction: the failure
// injection of the "whole or absent" test.
func FailAfterEntries(s *Service, n int) { s.failAfterEntries = n }
