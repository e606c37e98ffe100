// ronctl. Filled in by the client work (issue "Registry.Client SDK and ronctl").
return 0;
