import {
  Box,
  Document,
  FolderOpened,
  Key,
  Location,
  Lock,
  Odometer,
  Postcard,
  User,
  Tools,
  Van,
  Money,
  Connection,
  DataAnalysis,
  Grid,
  Cpu,
} from '@element-plus/icons-vue';
import type { Component } from 'vue';

/** Icons nav entries may name (`icon: 'Box'`). Kept to a short list so the shell chunk stays small. */
export const navIcons: Record<string, Component> = {
  Box,
  Document,
  FolderOpened,
  Key,
  Location,
  Lock,
  Odometer,
  Postcard,
  User,
  Tools,
  Van,
  Money,
  Connection,
  DataAnalysis,
  Grid,
  Cpu,
};
