// The svc-registry host. Filled in by the service work (issue "svc-registry: the service").
return 0;
