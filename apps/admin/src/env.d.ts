/// <reference types="vite/client" />
/// <reference types="@quartermaster/vite-plugin-admin/client" />
